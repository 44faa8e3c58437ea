import type { FastifyBaseLogger } from "fastify";
import type { AgentConfig } from "../config/agent-config.ts";
import type { ConversationStore, HistoryMessage } from "../conversations/conversation-store.ts";
import {
  type AgentEvent,
  type AgentEventInput,
  createEventSequencer,
  type MetadataEvent,
} from "../events/index.ts";
import { aggregateConfidence, aggregateUsage } from "../multi-agent/metadata-aggregation.ts";
import type { Metrics } from "../observability/metrics.ts";
import { type AgentContext, type AgentContextSeed, runWithContext } from "./agent-context.ts";
import type { AgentFactory } from "./agent-factory.ts";
import type { AgentInstance } from "./instance-service.ts";
import { createRunAccumulator } from "./run-accumulator.ts";
import { createRunDeadline } from "./run-deadline.ts";
import { classifyRunFailure, type RunFailure } from "./run-failure.ts";
import { type RunProducer, runToolLoop } from "./run-producer.ts";

export type RunMetadata = Omit<MetadataEvent, "type" | "run_id" | "seq">;

export interface RunPlan {
  context: AgentContextSeed;
  instance: AgentInstance;
  config: AgentConfig;
  modelId: string;
  messageId: string;
  userMessage: string;
  history: HistoryMessage[];
  parentMessageId: string | null;
  /** Events that belong to this run but come before its start (how it was routed, a handoff). */
  prelude?: AgentEventInput[];
}

export interface RunOutcome {
  conversationId: string;
  messageId: string;
  runId: string;
  text: string;
  status: "complete" | "aborted" | "error";
  metadata: RunMetadata;
  failure: RunFailure | null;
}

function optional<Key extends string, Value>(key: Key, value: Value | undefined): { [K in Key]?: Value } {
  return (value === undefined ? {} : { [key]: value }) as { [K in Key]?: Value };
}

export interface RunDependencies {
  conversations: ConversationStore;
  factory: AgentFactory;
  logger: FastifyBaseLogger;
  /** Agent types that produce their answer their own way; the rest use the model's tool loop. */
  producers?: Partial<Record<AgentInstance["type"], RunProducer>>;
  metrics?: Metrics;
  now?: () => number;
}

/**
 * Runs one agent for one input inside its context and emits the run's events in order:
 * start, then what the model and tools do, then metadata, an error when it failed, and done.
 * The answer is stored whatever happens: complete, aborted (with the partial text) or error.
 */
export async function executeRun(
  dependencies: RunDependencies,
  plan: RunPlan,
  options: { signal: AbortSignal; emit: (event: AgentEvent) => void },
): Promise<RunOutcome> {
  const now = dependencies.now ?? performance.now.bind(performance);
  const { instance, config } = plan;
  const sequence = createEventSequencer(plan.context.runId);
  const emit = (event: AgentEventInput) => options.emit(sequence(event));
  const context: AgentContext = { ...plan.context, emit, relay: plan.context.relay ?? emit };
  const startedAt = now();

  dependencies.metrics?.runStarted();
  for (const event of plan.prelude ?? []) emit(event);
  emit({
    type: "start",
    conversation_id: context.conversationId,
    message_id: plan.messageId,
    agent_schema: context.agentSchema,
    agent_type: instance.type,
    instance: instance.slug,
    depth: context.depth,
    ...(context.parentRunId ? { parent_run_id: context.parentRunId } : {}),
  });

  const deadline = createRunDeadline(options.signal, config.limits.timeout_seconds * 1_000);
  const signal = deadline.signal;
  const accumulator = createRunAccumulator();
  let thrown: unknown = null;

  const produce = dependencies.producers?.[instance.type];
  await runWithContext(context, async () => {
    try {
      const input = { context, plan, signal, accumulator, emit };
      await (produce ? produce(input) : runToolLoop(dependencies.factory, input));
    } catch (error) {
      thrown = error;
    }
  });

  deadline.release();
  const aborted = accumulator.aborted || (signal.aborted && !deadline.timedOut);
  const timedOut = deadline.timedOut && !options.signal.aborted;
  const error = accumulator.error ?? thrown;
  let failure: RunFailure | null = null;
  if (timedOut) failure = classifyRunFailure(error, { timedOut: true });
  else if (!aborted && error !== null) failure = classifyRunFailure(error, { timedOut: false });
  if (failure && failure.code === "AGENT_RUN_FAILED") {
    dependencies.logger.error(
      { err: error, agent: context.agentSchema, run: context.runId },
      "agent run failed",
    );
  }

  const status = failure ? "error" : aborted ? "aborted" : "complete";
  const recorded = context.recordedMetadata;
  const ownUsage = accumulator.usage;
  context.tree.budget.addTokens(ownUsage.total_tokens);
  const ownConfidence = typeof recorded.confidence === "number" ? recorded.confidence : undefined;
  const children = context.childAgents;
  const aggregated =
    context.tree.aggregateMetadata && children.length > 0
      ? {
          aggregated_usage: aggregateUsage(ownUsage, children),
          ...optional("aggregated_confidence", aggregateConfidence(ownConfidence, children)),
        }
      : {};
  const metadata: RunMetadata = {
    agent_schema: context.agentSchema,
    model: plan.modelId,
    usage: ownUsage,
    duration_ms: Math.round(now() - startedAt),
    child_agents: [...children],
    ...aggregated,
    finish_reason: failure ? "error" : aborted ? "aborted" : (accumulator.finishReason ?? "stop"),
    ...optional("confidence", ownConfidence),
    ...(Array.isArray(recorded.sources) ? { sources: recorded.sources } : {}),
    ...(recorded.fields ? { extra: recorded.fields as Record<string, unknown> } : {}),
  };

  try {
    await dependencies.conversations.finishRun(context.accountId, {
      messageId: plan.messageId,
      conversationId: context.conversationId,
      instanceId: instance.id,
      agentSchema: context.agentSchema,
      runId: context.runId,
      depth: context.depth,
      parentMessageId: plan.parentMessageId,
      content: accumulator.text,
      status,
      metadata: {
        ...metadata,
        trace_id: context.traceId,
        // Who asked, as the run saw it: what an audit of a tree of agent work needs.
        context: {
          user_id: context.userId,
          session_id: context.sessionId,
          is_eval: context.isEval,
          depth: context.depth,
          run_id: context.runId,
          parent_run_id: context.parentRunId,
          model_override: context.modelOverride,
        },
        ...(context.depth > 0 ? { input: plan.userMessage } : {}),
        ...(failure ? { error: { code: failure.code, message: failure.message } } : {}),
      },
      inputTokens: metadata.usage.input_tokens,
      outputTokens: metadata.usage.output_tokens,
      countsAsRequest: context.depth === 0,
    });
  } catch (storeError) {
    dependencies.logger.error({ err: storeError, run: context.runId }, "storing the answer failed");
    failure ??= { code: "STORAGE_FAILED", message: "The answer could not be stored", status: 503 };
  }

  dependencies.metrics?.runFinished({
    agentType: instance.type,
    depth: context.depth,
    status: failure ? "error" : status,
    seconds: metadata.duration_ms / 1_000,
    inputTokens: ownUsage.input_tokens,
    outputTokens: ownUsage.output_tokens,
  });
  emit({ type: "metadata", ...metadata });
  if (failure)
    emit({ type: "error", code: failure.code, message: failure.message, agent_schema: context.agentSchema });
  emit({ type: "done", finish_reason: metadata.finish_reason });

  return {
    conversationId: context.conversationId,
    messageId: plan.messageId,
    runId: context.runId,
    text: accumulator.text,
    status: failure ? "error" : status,
    metadata,
    failure,
  };
}
