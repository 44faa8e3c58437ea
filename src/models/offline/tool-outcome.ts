import { isRecord } from "./fill-arguments.ts";
import { collectPassages, type Passage } from "./passages.ts";
import type { TurnToolResult } from "./prompt-view.ts";

export type ToolOutcome =
  | { kind: "failed"; toolName: string; message: string; part: string | undefined }
  | { kind: "denied"; toolName: string; reason: string | undefined }
  | { kind: "delegated"; toolName: string; part: string | undefined; answer: string }
  | { kind: "found"; toolName: string; passages: Passage[] }
  | { kind: "done"; toolName: string; message: string | undefined };

const FAILED_STATUSES = new Set(["error", "failed", "failure"]);
const INPUT_PROPERTY_NAMES = ["input_text", "input", "message", "question", "query", "prompt", "text"];

/** What one tool result means for the answer. */
export function classifyToolResult(result: TurnToolResult): ToolOutcome {
  const { output, toolName } = result;
  const part = delegatedPart(result);
  const failedPart = toolName === "ask_agent" ? part : undefined;
  switch (output.type) {
    case "error-text":
      return { kind: "failed", toolName, message: errorMessage(output.value), part: failedPart };
    case "error-json":
      return { kind: "failed", toolName, message: errorMessage(output.value), part: failedPart };
    case "execution-denied":
      return { kind: "denied", toolName, reason: output.reason };
    default:
      break;
  }
  const value = output.type === "json" ? output.value : undefined;
  if (isRecord(value) && isFailure(value)) {
    return { kind: "failed", toolName, message: errorMessage(value), part: failedPart };
  }
  if (isRecord(value) && typeof value.text_response === "string") {
    return { kind: "delegated", toolName, part, answer: value.text_response.trim() };
  }
  if (toolName === "ask_agent" && output.type === "text") {
    return { kind: "delegated", toolName, part, answer: output.value.trim() };
  }
  const collected = collectPassages(output, toolName);
  if (collected.isResultList || collected.passages.length > 0 || !isRecord(value)) {
    return { kind: "found", toolName, passages: collected.passages };
  }
  // An object without passages is an action's receipt (a saved lead, a sent message).
  const message = ["message", "summary", "detail"].map((field) => value[field]).find(isText);
  return { kind: "done", toolName, message };
}

function isFailure(value: Record<string, unknown>): boolean {
  return (
    (typeof value.status === "string" && FAILED_STATUSES.has(value.status.toLowerCase())) ||
    value.isError === true ||
    value.ok === false ||
    value.success === false
  );
}

function errorMessage(value: unknown): string {
  // The SDK hands thrown errors over as "Error: message"; the class name is noise to a reader.
  if (isText(value)) return value.replace(/^[A-Za-z]*Error:\s*/u, "");
  if (!isRecord(value)) return "unknown error";
  const nested = isRecord(value.error) ? value.error.message : undefined;
  const content = Array.isArray(value.content)
    ? value.content
        .map((item) => (isRecord(item) && typeof item.text === "string" ? item.text : ""))
        .join(" ")
        .trim()
    : undefined;
  return [value.message, value.error, nested, value.detail, content].find(isText) ?? "unknown error";
}

/** The part of the request a delegation was about, read from the delegating call's input. */
function delegatedPart(result: TurnToolResult): string | undefined {
  const input = result.call?.input;
  if (!isRecord(input)) return undefined;
  return INPUT_PROPERTY_NAMES.map((name) => input[name]).find(isText);
}

function isText(value: unknown): value is string {
  return typeof value === "string" && value.trim().length > 0;
}
