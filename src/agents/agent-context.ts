import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { AgentEventInput, ChildAgentSummary } from "../events/index.ts";
import type { RequestBudget } from "../multi-agent/request-budget.ts";

/** What every run of one request's tree shares, by reference. */
export interface RunTree {
  readonly budget: RequestBudget;
  readonly maxDepth: number;
  readonly childTimeoutSeconds: number;
  readonly aggregateMetadata: boolean;
  /** Off: children run silently and only their results return. */
  readonly relayEnabled: boolean;
}

/**
 * Who and where a run executes. Services still take the account explicitly; the async context
 * only carries it across the model/tool boundary, where tools cannot receive it as an argument.
 */
export interface AgentContext {
  readonly accountId: string;
  readonly accountSlug: string;
  readonly userId: string | null;
  /** Where the run's messages are stored. */
  readonly conversationId: string;
  /** The logical session: the conversation unless a caller named another one for its subtree. */
  readonly sessionId: string;
  readonly modelOverride: string | null;
  readonly isEval: boolean;
  readonly traceId: string;
  readonly depth: number;
  readonly runId: string;
  readonly parentRunId: string | null;
  /** This run's answer message. */
  readonly messageId: string;
  readonly instanceId: string;
  /** The instance running in this context, as `type/slug`. */
  readonly agentSchema: string;
  /** Instance slugs from the root run down to this one. */
  readonly ancestors: readonly string[];
  /** Whether this run's events reach the client (false for a silent subtree). */
  readonly streamsEvents: boolean;
  readonly tree: RunTree;
  /** Emits an event on this run's own stream (a tool uses it to report a refused delegation). */
  readonly emit: (event: AgentEventInput) => void;
  /**
   * Puts an already wrapped descendant event on the root run's stream. Every descendant relays
   * straight to the root, so each event travels once, wrapped with its own depth.
   */
  readonly relay: (event: AgentEventInput) => void;
  /** What register_metadata recorded for this run's answer. */
  readonly recordedMetadata: Record<string, unknown>;
  /** Summaries of the children this run asked, for its metadata. */
  readonly childAgents: ChildAgentSummary[];
}

/** A context before its run starts: the run adds its own emitter, made with its sequencer. */
export type AgentContextSeed = Omit<AgentContext, "emit" | "relay"> & {
  /** Absent on a root run, whose relay is its own emitter. */
  relay?: (event: AgentEventInput) => void;
};

const storage = new AsyncLocalStorage<AgentContext>();

export function runWithContext<T>(context: AgentContext, work: () => T): T {
  return storage.run(context, work);
}

export function getCurrentContext(): AgentContext | undefined {
  return storage.getStore();
}

export class MissingAgentContextError extends Error {
  override readonly name = "MissingAgentContextError";
}

/** For tools: they only ever run inside a run, so a missing context is a programming error. */
export function requireCurrentContext(): AgentContext {
  const context = storage.getStore();
  if (!context)
    throw new MissingAgentContextError("No agent context: this code must run inside an agent run");
  return context;
}

function newTraceId(): string {
  return randomUUID().replaceAll("-", "");
}

export function createRootContext(fields: {
  accountId: string;
  accountSlug: string;
  conversationId: string;
  instanceId: string;
  instanceSlug: string;
  agentSchema: string;
  messageId: string;
  tree: RunTree;
  userId?: string | null | undefined;
  modelOverride?: string | null | undefined;
  isEval?: boolean | undefined;
  traceId?: string | undefined;
  runId?: string | undefined;
}): AgentContextSeed {
  return {
    accountId: fields.accountId,
    accountSlug: fields.accountSlug,
    conversationId: fields.conversationId,
    sessionId: fields.conversationId,
    instanceId: fields.instanceId,
    agentSchema: fields.agentSchema,
    messageId: fields.messageId,
    userId: fields.userId ?? null,
    modelOverride: fields.modelOverride ?? null,
    isEval: fields.isEval ?? false,
    traceId: fields.traceId ?? newTraceId(),
    depth: 0,
    runId: fields.runId ?? randomUUID(),
    parentRunId: null,
    ancestors: [fields.instanceSlug],
    streamsEvents: true,
    tree: fields.tree,
    recordedMetadata: {},
    childAgents: [],
  };
}

/**
 * A child inherits who and where (account, user, session, model override, eval flag, trace) and
 * runs one level deeper. Explicit overrides apply to its whole subtree; the account never changes.
 */
export function createChildContext(
  parent: AgentContextSeed,
  child: {
    instanceId: string;
    instanceSlug: string;
    agentSchema: string;
    messageId: string;
    streamsEvents: boolean;
    overrides?: {
      userId?: string | undefined;
      sessionId?: string | undefined;
      modelOverride?: string | undefined;
    };
  },
): AgentContextSeed {
  return {
    // A full parent context also carries its emitter; the child's run replaces it with its own.
    ...parent,
    userId: child.overrides?.userId ?? parent.userId,
    sessionId: child.overrides?.sessionId ?? parent.sessionId,
    modelOverride: child.overrides?.modelOverride ?? parent.modelOverride,
    depth: parent.depth + 1,
    runId: randomUUID(),
    parentRunId: parent.runId,
    messageId: child.messageId,
    instanceId: child.instanceId,
    agentSchema: child.agentSchema,
    ancestors: [...parent.ancestors, child.instanceSlug],
    streamsEvents: parent.streamsEvents && child.streamsEvents,
    recordedMetadata: {},
    childAgents: [],
  };
}
