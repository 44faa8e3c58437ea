import type { FastifyBaseLogger } from "fastify";
import type { Account } from "../accounts/account-service.ts";
import { routerConfigFor } from "../accounts/account-settings.ts";
import type { ChatInput, ChatResponse, ChatService, PreparedRun } from "../agents/chat-service.ts";
import { answer } from "../agents/chat-service.ts";
import type { InstanceService } from "../agents/instance-service.ts";
import type { TemplateSet } from "../config/templates.ts";
import type { ConversationStore, RecentMessage } from "../conversations/conversation-store.ts";
import { ConversationNotFoundError } from "../errors/app-error.ts";
import type { AgentEventInput } from "../events/index.ts";
import type { ModelRegistry } from "../models/model-registry.ts";
import type { HandoffMessage } from "./extractive-summary.ts";
import { summarizeForHandoff } from "./handoff-summary.ts";
import type { IntentRouter } from "./intent-router.ts";
import type { RoutableInstance, RoutingDecision } from "./routing-types.ts";

/** Turns read back to decide stickiness and to summarise a conversation for a new agent. */
const RECENT_TURNS = 12;

export interface UnifiedRoute {
  decision: RoutingDecision;
  /** The summary the new agent was given when the answering agent changed. */
  handoff: { from: string; to: string; summary: string } | null;
}

export type UnifiedChat = ReturnType<typeof createUnifiedChat>;

function slugOf(agentSchema: string | null): string | null {
  return agentSchema ? (agentSchema.split("/")[1] ?? null) : null;
}

/**
 * Chat with the account as a whole: the router picks the instance (or keeps the current one),
 * a change of agent mid-conversation comes with a stored handoff summary, and the run's stream
 * opens with how it was routed.
 */
export function createUnifiedChat(dependencies: {
  router: IntentRouter;
  chat: ChatService;
  instances: InstanceService;
  conversations: ConversationStore;
  models: ModelRegistry;
  templates: TemplateSet;
  logger: FastifyBaseLogger;
}) {
  const { router, chat, instances, conversations, models, templates } = dependencies;

  async function routable(account: Account): Promise<RoutableInstance[]> {
    const live = await instances.listLive(account);
    const result: RoutableInstance[] = [];
    for (const instance of live) {
      const resolution = instances.effectiveConfig(instance);
      if (!resolution.ok) continue;
      result.push({
        id: instance.id,
        slug: instance.slug,
        type: instance.type,
        status: instance.status,
        version: instance.version,
        config: resolution.config,
        inFlight: chat.inFlight(instance.id),
      });
    }
    return result;
  }

  async function recent(account: Account, conversationId: string | undefined): Promise<RecentMessage[]> {
    if (!conversationId) return [];
    const turns = await conversations.recentTurns(account.id, conversationId, RECENT_TURNS);
    // Every stored conversation has its first message: nothing back means not this account's.
    if (turns.length === 0) throw new ConversationNotFoundError(`Conversation "${conversationId}" not found`);
    return turns;
  }

  /** The router's decision alone: what `POST /accounts/{account}/route` answers. */
  async function decide(account: Account, input: ChatInput, signal?: AbortSignal) {
    const turns = await recent(account, input.conversation_id);
    const lastAnswer = turns.findLast((turn) => turn.role === "assistant");
    const routerConfig = routerConfigFor(templates, account.settings);
    const decision = await router.decide({
      accountId: account.id,
      instances: await routable(account),
      routerConfig,
      message: input.message,
      currentInstance: slugOf(lastAnswer?.agentSchema ?? null),
      ...(signal ? { signal } : {}),
    });
    return { decision, turns, routerConfig };
  }

  async function prepare(
    account: Account,
    input: ChatInput,
    signal?: AbortSignal,
  ): Promise<{ prepared: PreparedRun; route: UnifiedRoute }> {
    const { decision, turns, routerConfig } = await decide(account, input, signal);
    const prelude: AgentEventInput[] = [
      {
        type: "routing",
        agent_type: decision.agent_type,
        instance: decision.instance,
        confidence: decision.confidence,
        stage: decision.stage,
        alternatives: decision.alternatives,
        ms: decision.ms,
        reason: decision.reason,
      },
    ];
    let handoff: UnifiedRoute["handoff"] = null;
    if (decision.handoff && input.conversation_id) {
      const history: HandoffMessage[] = turns.map((turn) => ({
        role: turn.role,
        content: turn.content,
        ...(turn.agentSchema ? { agent: slugOf(turn.agentSchema) ?? turn.agentSchema } : {}),
      }));
      const { summary } = await summarizeForHandoff(history, {
        focus: input.message,
        models,
        modelId: models.resolveModelId(routerConfig.model),
        timeoutMs: routerConfig.model_stage.timeout_ms,
        ...(signal ? { signal } : {}),
        onError: (error) =>
          dependencies.logger.warn({ err: error }, "handoff summary fell back to extractive"),
      });
      handoff = { from: decision.handoff.from, to: decision.handoff.to, summary };
      await conversations.recordHandoff(account.id, {
        conversationId: input.conversation_id,
        from: handoff.from,
        to: handoff.to,
        summary,
      });
      prelude.push({ type: "handoff", ...handoff });
    }
    const prepared = await chat.prepare(account, { slug: decision.instance }, input, {
      prelude,
      handoffNote: handoff?.summary,
    });
    return { prepared, route: { decision, handoff } };
  }

  /** The JSON form: the answer plus which agent answered and why. */
  async function respond(
    account: Account,
    input: ChatInput,
    signal: AbortSignal,
  ): Promise<ChatResponse & { routing: RoutingDecision; handoff: UnifiedRoute["handoff"] }> {
    const { prepared, route } = await prepare(account, input, signal);
    return { ...(await answer(prepared, signal)), routing: route.decision, handoff: route.handoff };
  }

  return { decide, prepare, respond };
}
