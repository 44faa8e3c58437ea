import { AppError } from "../errors/app-error.ts";

/**
 * The router had to fall back and the account has no active instance of the fallback type (or
 * no active instance at all): a configuration problem of the account, not a server fault.
 */
export class NoRoutableAgentError extends AppError {
  override readonly name = "NoRoutableAgentError";
  readonly code = "NO_ROUTABLE_AGENT";
  readonly status = 409;
  readonly accountId: string;

  constructor(accountId: string, reason: string) {
    super(`No agent can answer this message: ${reason}`, { details: { account: accountId } });
    this.accountId = accountId;
  }

  static override isInstance(error: unknown): error is NoRoutableAgentError {
    return error instanceof NoRoutableAgentError;
  }
}
