import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { BlockedAddressError, ResponseTooLargeError } from "./guarded-fetch.ts";

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 8) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

/** Whether the address policy refused the connection (as opposed to the server being down). */
export function isBlockedConnection(error: unknown): boolean {
  return causes(error).some((cause) => cause instanceof BlockedAddressError);
}

/**
 * A message about a failed connection or call that is safe to show and to store: built from the
 * error's kind and message, never from the request (whose headers carry the token).
 */
export function describeConnectionError(error: unknown): string {
  for (const cause of causes(error)) {
    if (cause instanceof BlockedAddressError || cause instanceof ResponseTooLargeError) return cause.message;
    if (cause instanceof McpError) {
      return cause.code === ErrorCode.RequestTimeout
        ? "The MCP server did not answer in time"
        : `The MCP server answered with an error: ${cause.message}`;
    }
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z_]+$/.test(code))
      return `The MCP server could not be reached (${code})`;
    if (cause instanceof Error && cause.name === "AbortError") return "The call was stopped";
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 300);
}
