import { randomUUID } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import type { Account } from "../accounts/account-service.ts";
import { multiAgentFor } from "../accounts/account-settings.ts";
import { TIER_LIMITS } from "../accounts/tiers.ts";
import type { AgentConfig, AgentType } from "../config/agent-config.ts";
import type { MultiAgentSettings } from "../config/settings.ts";
import type { ConversationStore } from "../conversations/conversation-store.ts";
import {
  AgentNotFoundError,
  InstanceInactiveError,
  ModelOverrideNotAllowedError,
} from "../errors/app-error.ts";
import type { AgentEvent, AgentEventInput } from "../events/index.ts";
import type { ModelRegistry } from "../models/model-registry.ts";
import { createRootContext } from "./agent-context.ts";
import type { AgentFactory } from "./agent-factory.ts";
import { agentSchemaOf } from "./agent-schema.ts";
import type { InstanceService } from "./instance-service.ts";
import {
  executeRun,
  type RunDependencies,
  type RunMetadata,
  type RunOutcome,
  type RunPlan,
} from "./run-agent.ts";
import { RunFailedError } from "./run-failure.ts";
import { createRunTree } from "./run-tree.ts";

export interface ChatInput {
  message: string;
  conversation_id?: string | undefined;
  user_id?: string | undefined;
  model?: string | undefined;
  is_eval?: boolean | undefined;
}

/** An instance by slug, optionally also by type (the explicit `/chat/{type}/{instance}` path). */
export interface AgentAddress {
  slug: string;
  type?: AgentType | undefined;
}

export type ConversationSummarizer = (
  messages: Array<{ role: "user" | "assistant"; content: string }>,
  previous: string | null,
  maxCharacters: number,
) => string;

export interface PrepareOptions {
  /** Events of this run that precede its start: how the message was routed, a handoff. */
  prelude?: AgentEventInput[] | undefined;
  /** What the previous agent's conversation amounted to, for an agent taking over. */
  handoffNote?: string | undefined;
}

export interface PreparedRun {
  readonly plan: RunPlan;
  execute(options: { signal: AbortSignal; emit: (event: AgentEvent) => void }): Promise<RunOutcome>;
}

export interface ChatResponse {
  conversation_id: string;
  message_id: string;
  agent: { instance: string; type: AgentType; agent_schema: string };
  text: string;
  metadata: RunMetadata;
  usage: RunMetadata["usage"];
}

export type ChatService = ReturnType<typeof createChatService>;

export function createChatService(dependencies: {
  instances: InstanceService;
  conversations: ConversationStore;
  factory: AgentFactory;
  models: ModelRegistry;
  historyTurns: number;
  multiAgent: MultiAgentSettings;
  logger: FastifyBaseLogger;
  producers?: RunDependencies["producers"];
  metrics?: RunDependencies["metrics"];
  /** Folds older turns into a conversation's running summary (for configs with memory.summary). */
  summarize?: ConversationSummarizer;
}) {
  const { instances, conversations, models } = dependencies;
  const inFlightRuns = new Map<string, number>();

  /**
   * Everything that can be refused is refused here, before the first event: an unknown or
   * inactive agent, a model that is not available, a conversation of someone else. Then the
   * user's message is stored, so it survives whatever the model does next.
   */
  async function prepare(
    account: Account,
    address: AgentAddress,
    input: ChatInput,
    options: PrepareOptions = {},
  ): Promise<PreparedRun> {
    const instance = await instances.get(account, address.slug);
    if (address.type && instance.type !== address.type) {
      throw new AgentNotFoundError(`Agent "${address.slug}" of type "${address.type}" not found`);
    }
    if (instance.status !== "active") {
      throw new InstanceInactiveError(`Agent "${instance.slug}" is ${instance.status}; activate it to chat`);
    }
    const resolution = instances.effectiveConfig(instance);
    if (!resolution.ok) throw resolution.error;
    const config = resolution.config;
    if (input.model && !config.allow_model_override) {
      throw new ModelOverrideNotAllowedError(
        `Agent "${instance.slug}" does not allow choosing the model per request`,
      );
    }
    const modelId = models.resolveModelId(config.model, input.model, config.allow_model_override);
    // Fails fast (422 MODEL_NOT_AVAILABLE) for a provider that is not configured.
    models.languageModel(modelId);
    // External MCP tools are listed before the agent is built; a dead server only loses its tools.
    await dependencies.factory.prepare(instance, config);

    const historyTurns = Math.min(dependencies.historyTurns, config.limits.max_history_turns);
    const turn = await conversations.startTurn(account.id, {
      conversationId: input.conversation_id,
      userId: input.user_id ?? null,
      text: input.message,
      historyTurns,
    });
    const messageId = randomUUID();
    const context = createRootContext({
      accountId: account.id,
      accountSlug: account.slug,
      conversationId: turn.conversationId,
      instanceId: instance.id,
      instanceSlug: instance.slug,
      messageId,
      tree: createRunTree(
        TIER_LIMITS[account.tier],
        multiAgentFor(dependencies.multiAgent, account.settings),
      ),
      agentSchema: agentSchemaOf(instance),
      userId: input.user_id,
      modelOverride: input.model,
      isEval: input.is_eval,
    });
    const plan: RunPlan = {
      context,
      instance,
      config,
      modelId,
      messageId,
      userMessage: input.message,
      history: [
        ...(config.memory.summary && turn.summary
          ? [{ role: "assistant" as const, content: `(Summary of the earlier conversation) ${turn.summary}` }]
          : []),
        ...turn.history,
        ...(options.handoffNote
          ? [{ role: "assistant" as const, content: `(Handoff note) ${options.handoffNote}` }]
          : []),
      ],
      parentMessageId: null,
      ...(options.prelude ? { prelude: options.prelude } : {}),
    };
    return {
      plan,
      execute: async (runOptions) => {
        inFlightRuns.set(instance.id, (inFlightRuns.get(instance.id) ?? 0) + 1);
        try {
          const outcome = await executeRun(dependencies, plan, runOptions);
          if (config.memory.summary && turn.olderMessagesBefore) {
            await refreshSummary(
              account.id,
              turn.conversationId,
              turn.olderMessagesBefore,
              turn.summary ?? null,
              config,
            );
          }
          return outcome;
        } finally {
          const remaining = (inFlightRuns.get(instance.id) ?? 1) - 1;
          if (remaining === 0) inFlightRuns.delete(instance.id);
          else inFlightRuns.set(instance.id, remaining);
        }
      },
    };
  }

  /**
   * Folds the turns that slid out of the history window into the conversation's running summary,
   * so a long thread keeps its thread. Only new turns are read; a failure costs memory, not the answer.
   */
  async function refreshSummary(
    accountId: string,
    conversationId: string,
    windowStart: number,
    previous: string | null,
    config: AgentConfig,
  ) {
    if (!dependencies.summarize) return;
    try {
      const older = await conversations.unsummarized(accountId, conversationId, windowStart);
      const last = older.at(-1);
      if (!last) return;
      const summary = dependencies.summarize(
        older.map((message) => ({ role: message.role, content: message.content })),
        previous,
        config.memory.summary_max_characters,
      );
      await conversations.saveSummary(accountId, conversationId, summary, Number(last.position));
    } catch (error) {
      dependencies.logger.warn(
        { err: error, conversation: conversationId },
        "conversation summary not updated",
      );
    }
  }

  /** Runs of an instance in progress in this process: the router's tie-break between equals. */
  function inFlight(instanceId: string): number {
    return inFlightRuns.get(instanceId) ?? 0;
  }

  /** The JSON endpoint: the whole run, answered at once; a failed run is a 5xx with its code. */
  async function chat(account: Account, address: AgentAddress, input: ChatInput, signal: AbortSignal) {
    return answer(await prepare(account, address, input), signal);
  }

  return { prepare, chat, answer, inFlight };
}

/** Runs a prepared run to its end and shapes the JSON answer. */
export async function answer(prepared: PreparedRun, signal: AbortSignal): Promise<ChatResponse> {
  const outcome = await prepared.execute({ signal, emit: () => {} });
  if (outcome.failure) {
    throw new RunFailedError(outcome.failure, {
      conversation_id: outcome.conversationId,
      message_id: outcome.messageId,
    });
  }
  const instance = prepared.plan.instance;
  return {
    conversation_id: outcome.conversationId,
    message_id: outcome.messageId,
    agent: { instance: instance.slug, type: instance.type, agent_schema: agentSchemaOf(instance) },
    text: outcome.text,
    metadata: outcome.metadata,
    usage: outcome.metadata.usage,
  };
}
