import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";

/** Who is calling an account's MCP endpoint, as the HTTP layer authenticated it. */
export interface McpCaller {
  accountId: string;
  accountSlug: string;
}

/**
 * The caller travels to tool handlers as the request's auth info, the SDK's channel for exactly
 * this; never as a tool argument a client could set. The API key itself is not passed on.
 */
export function toAuthInfo(caller: McpCaller): AuthInfo {
  return {
    token: "",
    clientId: caller.accountSlug,
    scopes: ["account"],
    extra: { accountId: caller.accountId, accountSlug: caller.accountSlug },
  };
}

export class MissingMcpCallerError extends Error {
  override readonly name = "MissingMcpCallerError";
}

/** Fails closed: a handler reached without an authenticated account answers nothing. */
export function callerFrom(authInfo: AuthInfo | undefined): McpCaller {
  const accountId = authInfo?.extra?.accountId;
  const accountSlug = authInfo?.extra?.accountSlug;
  if (typeof accountId !== "string" || typeof accountSlug !== "string") {
    throw new MissingMcpCallerError("This MCP request carries no authenticated account");
  }
  return { accountId, accountSlug };
}
