import { AppError } from "../errors/app-error.ts";

export const CHILD_AGENT_ERROR_CODES = [
  "AGENT_NOT_FOUND",
  "INSTANCE_INACTIVE",
  "NOT_DELEGABLE",
  "DEPTH_LIMIT_EXCEEDED",
  "CYCLE_DETECTED",
  "CHILD_RUN_BUDGET_EXCEEDED",
  "TOKEN_BUDGET_EXCEEDED",
  "CHILD_TIMEOUT",
  "CHILD_FAILED",
  "INVALID_INPUT",
] as const;
export type ChildAgentErrorCode = (typeof CHILD_AGENT_ERROR_CODES)[number];

/**
 * Why a child agent could not answer. It becomes the ask_agent tool's result (and an error event),
 * never an exception that kills the parent: the parent reads it and can still answer.
 */
export class ChildAgentError extends AppError {
  override readonly name = "ChildAgentError";
  readonly code: ChildAgentErrorCode;
  readonly status = 502;

  constructor(code: ChildAgentErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  static override isInstance(error: unknown): error is ChildAgentError {
    return error instanceof ChildAgentError;
  }
}
