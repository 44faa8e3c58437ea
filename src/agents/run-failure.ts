import { APICallError, RetryError } from "ai";
import { AppError } from "../errors/app-error.ts";

export interface RunFailure {
  code: string;
  message: string;
  /** What the JSON chat endpoint answers: 502 for provider faults, 504 for time-outs. */
  status: number;
}

const MESSAGE_LIMIT = 300;

function shorten(text: string): string {
  return text.length > MESSAGE_LIMIT ? `${text.slice(0, MESSAGE_LIMIT)}…` : text;
}

/** Turns whatever stopped a run into a stable code; provider details stay short and key-free. */
export function classifyRunFailure(error: unknown, options: { timedOut: boolean }): RunFailure {
  if (options.timedOut) {
    return { code: "RUN_TIMEOUT", message: "The agent did not finish within its time limit", status: 504 };
  }
  const cause = RetryError.isInstance(error) ? error.lastError : error;
  if (APICallError.isInstance(cause)) {
    const status = cause.statusCode;
    const detail = shorten(cause.message);
    if (status === 429) {
      return {
        code: "PROVIDER_RATE_LIMITED",
        message: `The model provider is rate limiting: ${detail}`,
        status: 502,
      };
    }
    if (status === 401 || status === 403) {
      return {
        code: "PROVIDER_AUTH_FAILED",
        message: "The model provider refused the credentials",
        status: 502,
      };
    }
    if (status !== undefined && status >= 500) {
      return {
        code: "PROVIDER_UNAVAILABLE",
        message: `The model provider failed (${status}): ${detail}`,
        status: 502,
      };
    }
    return {
      code: "PROVIDER_ERROR",
      message: `The model provider answered an error: ${detail}`,
      status: 502,
    };
  }
  if (AppError.isInstance(cause)) return { code: cause.code, message: cause.message, status: cause.status };
  return { code: "AGENT_RUN_FAILED", message: "The agent failed while answering", status: 502 };
}

/** The JSON chat endpoint's error when a run failed after it started. */
export class RunFailedError extends AppError {
  override readonly name = "RunFailedError";
  readonly code: string;
  readonly status: number;

  constructor(failure: RunFailure, details: Record<string, unknown>) {
    super(failure.message, { details });
    this.code = failure.code;
    this.status = failure.status;
  }
}
