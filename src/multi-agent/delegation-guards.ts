import { ChildAgentError } from "./child-agent-error.ts";

export interface DelegationRequest {
  /** The instance asked to answer. */
  target: string;
  /** The caller's depth; the child runs one deeper. */
  callerDepth: number;
  /** Instance slugs from the root down to the caller. */
  ancestors: readonly string[];
  delegates: readonly string[];
  maxDepth: number;
  cycleGuard: boolean;
}

/** The checks that need no database: may this caller hand this question to that agent at all? */
export function checkDelegation(request: DelegationRequest): void {
  if (!request.delegates.includes("*") && !request.delegates.includes(request.target)) {
    throw new ChildAgentError(
      "NOT_DELEGABLE",
      `Agent "${request.target}" is not among this agent's delegates (${request.delegates.join(", ") || "none"})`,
    );
  }
  const childDepth = request.callerDepth + 1;
  if (childDepth > request.maxDepth) {
    throw new ChildAgentError(
      "DEPTH_LIMIT_EXCEEDED",
      `Asking "${request.target}" would nest ${childDepth} levels deep; the limit is ${request.maxDepth}`,
    );
  }
  if (request.cycleGuard && request.ancestors.includes(request.target)) {
    throw new ChildAgentError(
      "CYCLE_DETECTED",
      `"${request.target}" is already answering further up this chain (${[...request.ancestors, request.target].join(" → ")})`,
    );
  }
}
