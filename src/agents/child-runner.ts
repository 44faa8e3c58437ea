import { randomUUID } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import type { AccountService } from "../accounts/account-service.ts";
import type { AgentConfig } from "../config/agent-config.ts";
import type { ConversationStore } from "../conversations/conversation-store.ts";
import { AgentNotFoundError, AppError } from "../errors/app-error.ts";
import type { ChildAgentSummary } from "../events/index.ts";
import type { ModelRegistry } from "../models/model-registry.ts";
import { ChildAgentError } from "../multi-agent/child-agent-error.ts";
import { checkDelegation } from "../multi-agent/delegation-guards.ts";
import { wrapChildEvent } from "../multi-agent/event-relay.ts";
import { type AgentContext, createChildContext } from "./agent-context.ts";
import type { AgentFactory } from "./agent-factory.ts";
import { agentSchemaOf } from "./agent-schema.ts";
import type { AgentInstance, InstanceService } from "./instance-service.ts";
import { executeRun, type RunDependencies, type RunMetadata } from "./run-agent.ts";
import { createRunDeadline } from "./run-deadline.ts";

export interface AskAgentRequest {
  agent_name: string;
  input_text: string;
  input_data?: Record<string, unknown> | undefined;
  stream_events: boolean;
  timeout_seconds?: number | undefined;
  user_id?: string | undefined;
  session_id?: string | undefined;
  model?: string | undefined;
}

export interface AskAgentResult {
  status: "success" | "error";
  output: string | null;
  text_response: string;
  metadata: RunMetadata | null;
  agent_schema: string;
  trace_id: string;
  error?: { code: string; message: string };
}

const INPUT_DATA_LIMIT = 32_000;

export type ChildRunner = ReturnType<typeof createChildRunner>;

/** Runs a child agent for the ask_agent tool: guards first, then one run one level deeper. */
export function createChildRunner(dependencies: {
  accounts: AccountService;
  instances: InstanceService;
  conversations: ConversationStore;
  factory: AgentFactory;
  models: ModelRegistry;
  logger: FastifyBaseLogger;
  producers?: RunDependencies["producers"];
  metrics?: RunDependencies["metrics"];
}) {
  const { accounts, instances, models } = dependencies;

  async function resolveChild(
    parent: AgentContext,
    slug: string,
  ): Promise<{ instance: AgentInstance; config: AgentConfig }> {
    const account = await accounts.findById(parent.accountId);
    if (!account) throw new ChildAgentError("AGENT_NOT_FOUND", "The account is gone");
    let instance: AgentInstance;
    try {
      instance = await instances.get(account, slug);
    } catch (error) {
      if (error instanceof AgentNotFoundError) {
        throw new ChildAgentError("AGENT_NOT_FOUND", `There is no agent "${slug}" in this account`);
      }
      throw error;
    }
    if (instance.status !== "active") {
      throw new ChildAgentError("INSTANCE_INACTIVE", `Agent "${slug}" is ${instance.status}`);
    }
    const resolution = instances.effectiveConfig(instance);
    if (!resolution.ok) throw new ChildAgentError("CHILD_FAILED", `Agent "${slug}" has an invalid config`);
    return { instance, config: resolution.config };
  }

  function childInput(request: AskAgentRequest): string {
    if (!request.input_data) return request.input_text;
    const data = JSON.stringify(request.input_data);
    if (data.length > INPUT_DATA_LIMIT) {
      throw new ChildAgentError("INVALID_INPUT", `input_data is larger than ${INPUT_DATA_LIMIT} characters`);
    }
    return `${request.input_text}\n\nInput data (JSON):\n${data}`;
  }

  function refuse(
    parent: AgentContext,
    target: string,
    error: ChildAgentError,
    startedAt: number,
  ): AskAgentResult {
    parent.emit({ type: "error", code: error.code, message: error.message, agent_schema: target });
    parent.childAgents.push({
      agent: target,
      message_id: "",
      status: "error",
      ms: Math.round(performance.now() - startedAt),
    });
    return {
      status: "error",
      output: null,
      text_response: "",
      metadata: null,
      agent_schema: target,
      trace_id: parent.traceId,
      error: { code: error.code, message: error.message },
    };
  }

  async function ask(
    parent: AgentContext,
    parentConfig: AgentConfig,
    request: AskAgentRequest,
    abortSignal: AbortSignal | undefined,
  ): Promise<AskAgentResult> {
    const startedAt = performance.now();
    const tree = parent.tree;
    let child: { instance: AgentInstance; config: AgentConfig };
    let modelId: string;
    let input: string;
    try {
      checkDelegation({
        target: request.agent_name,
        callerDepth: parent.depth,
        ancestors: parent.ancestors,
        delegates: parentConfig.delegates,
        maxDepth: tree.maxDepth,
        cycleGuard: parentConfig.limits.cycle_guard,
      });
      input = childInput(request);
      child = await resolveChild(parent, request.agent_name);
      if (tree.budget.tokensExhausted()) {
        throw new ChildAgentError(
          "TOKEN_BUDGET_EXCEEDED",
          `This request has used ${tree.budget.tokens} of its ${tree.budget.maxTokens} tokens`,
        );
      }
      if (!tree.budget.tryStartChild()) {
        throw new ChildAgentError(
          "CHILD_RUN_BUDGET_EXCEEDED",
          `This request may start at most ${tree.budget.maxChildRuns} child runs`,
        );
      }
      try {
        modelId = models.resolveModelId(
          child.config.model,
          request.model ?? parent.modelOverride ?? undefined,
          child.config.allow_model_override,
        );
        models.languageModel(modelId);
      } catch (error) {
        throw new ChildAgentError("CHILD_FAILED", AppError.isInstance(error) ? error.message : "No model");
      }
    } catch (error) {
      if (ChildAgentError.isInstance(error)) return refuse(parent, request.agent_name, error, startedAt);
      throw error;
    }

    const { instance, config } = child;
    await dependencies.factory.prepare(instance, config);
    const agentSchema = agentSchemaOf(instance);
    const messageId = randomUUID();
    const streams = tree.relayEnabled && parent.streamsEvents && request.stream_events;
    const seed = createChildContext(parent, {
      instanceId: instance.id,
      instanceSlug: instance.slug,
      agentSchema,
      messageId,
      streamsEvents: streams,
      overrides: { userId: request.user_id, sessionId: request.session_id, modelOverride: request.model },
    });
    const relay = streams ? parent.relay : () => {};
    const target = {
      parentMessageId: parent.messageId,
      childAgent: agentSchema,
      childMessageId: messageId,
      depth: seed.depth,
    };
    const timeoutSeconds = Math.min(
      request.timeout_seconds ?? tree.childTimeoutSeconds,
      tree.childTimeoutSeconds,
    );
    const deadline = createRunDeadline(abortSignal, timeoutSeconds * 1_000);
    const signal = deadline.signal;

    const outcome = await executeRun(
      dependencies,
      {
        context: { ...seed, relay },
        instance,
        config,
        modelId,
        messageId,
        userMessage: input,
        history: [],
        parentMessageId: parent.messageId,
      },
      { signal, emit: (event) => relay(wrapChildEvent(event, target)) },
    );
    deadline.release();

    const failure =
      deadline.timedOut && outcome.status !== "complete"
        ? {
            code: "CHILD_TIMEOUT",
            message: `Agent "${instance.slug}" did not answer within ${timeoutSeconds}s`,
          }
        : outcome.failure
          ? { code: "CHILD_FAILED", message: `Agent "${instance.slug}" failed: ${outcome.failure.message}` }
          : outcome.status === "aborted"
            ? { code: "CHILD_FAILED", message: `Agent "${instance.slug}" was stopped` }
            : null;
    const metadata = outcome.metadata;
    const summary: ChildAgentSummary = {
      agent: agentSchema,
      message_id: messageId,
      status: failure ? "error" : "success",
      trace_id: parent.traceId,
      usage: metadata.aggregated_usage ?? metadata.usage,
      ms: Math.round(performance.now() - startedAt),
      ...optionalConfidence(metadata.aggregated_confidence ?? metadata.confidence),
    };
    parent.childAgents.push(summary);
    if (failure)
      parent.emit({ type: "error", code: failure.code, message: failure.message, agent_schema: agentSchema });
    return {
      status: failure ? "error" : "success",
      output: failure ? null : outcome.text,
      text_response: outcome.text,
      metadata,
      agent_schema: agentSchema,
      trace_id: parent.traceId,
      ...(failure ? { error: failure } : {}),
    };
  }

  return { ask };
}

function optionalConfidence(confidence: number | undefined): { confidence?: number } {
  return confidence === undefined ? {} : { confidence };
}
