import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { AppError } from "../../errors/app-error.ts";

/** Structured content, mirrored as JSON text for clients that read only text (as the spec asks). */
export function toolResult(structured: Record<string, unknown>, isError = false): CallToolResult {
  return {
    content: [{ type: "text", text: JSON.stringify(structured) }],
    structuredContent: structured,
    ...(isError ? { isError: true } : {}),
  };
}

export function toolError(code: string, message: string): CallToolResult {
  return toolResult({ status: "error", error: { code, message } }, true);
}

/** A refusal a client can act on keeps its code; anything else is not explained to the caller. */
export function toolFailure(error: unknown): CallToolResult {
  if (AppError.isInstance(error)) return toolError(error.code, error.message);
  return toolError("INTERNAL_ERROR", "The tool failed; the server logged why");
}
