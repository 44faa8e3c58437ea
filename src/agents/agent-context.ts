import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

/**
 * Who and where a run executes. Services still take the account explicitly; the async context
 * only carries it across the model/tool boundary, where tools cannot receive it as an argument.
 */
export interface AgentContext {
  readonly accountId: string;
  readonly accountSlug: string;
  readonly userId: string | null;
  readonly conversationId: string;
  readonly modelOverride: string | null;
  readonly isEval: boolean;
  readonly traceId: string;
  readonly depth: number;
  readonly runId: string;
  readonly parentRunId: string | null;
  /** The instance running in this context, as `type/slug`. */
  readonly agentSchema: string;
  /** What register_metadata recorded for this run's answer. */
  readonly recordedMetadata: Record<string, unknown>;
}

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

export function createRootContext(fields: {
  accountId: string;
  accountSlug: string;
  conversationId: string;
  agentSchema: string;
  userId?: string | null | undefined;
  modelOverride?: string | null | undefined;
  isEval?: boolean | undefined;
  traceId?: string | undefined;
  runId?: string | undefined;
}): AgentContext {
  return {
    accountId: fields.accountId,
    accountSlug: fields.accountSlug,
    conversationId: fields.conversationId,
    agentSchema: fields.agentSchema,
    userId: fields.userId ?? null,
    modelOverride: fields.modelOverride ?? null,
    isEval: fields.isEval ?? false,
    traceId: fields.traceId ?? randomUUID().replaceAll("-", ""),
    depth: 0,
    runId: fields.runId ?? randomUUID(),
    parentRunId: null,
    recordedMetadata: {},
  };
}
