import type { TextStreamPart, ToolSet } from "ai";
import type { AgentEventInput, Usage } from "../events/index.ts";

/**
 * Follows one run's AI SDK stream: turns each part into our event (or nothing) and keeps what
 * the run's metadata and stored message need: the text, the usage of finished steps, how it ended.
 */
export function createRunAccumulator() {
  let text = "";
  let steps = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let finishReason: string | null = null;
  let streamError: unknown = null;
  let aborted = false;

  /** Text an orchestrating run writes itself, not streamed from a model. */
  function appendText(delta: string): AgentEventInput | null {
    if (delta.length === 0) return null;
    text += delta;
    return { type: "text_delta", delta };
  }

  /** Usage of model calls an orchestrating run makes itself. */
  function addUsage(usage: { inputTokens?: number | undefined; outputTokens?: number | undefined }) {
    steps += 1;
    inputTokens += usage.inputTokens ?? 0;
    outputTokens += usage.outputTokens ?? 0;
  }

  function accept(part: TextStreamPart<ToolSet>): AgentEventInput | null {
    switch (part.type) {
      case "text-delta":
        if (part.text.length === 0) return null;
        text += part.text;
        return { type: "text_delta", delta: part.text };
      case "tool-call":
        return {
          type: "tool_call",
          tool_call_id: part.toolCallId,
          tool_name: part.toolName,
          input: part.input,
        };
      case "tool-result":
        return {
          type: "tool_result",
          tool_call_id: part.toolCallId,
          tool_name: part.toolName,
          output: part.output,
          is_error: false,
        };
      case "tool-error":
        return {
          type: "tool_result",
          tool_call_id: part.toolCallId,
          tool_name: part.toolName,
          output: { error: part.error instanceof Error ? part.error.message : String(part.error) },
          is_error: true,
        };
      case "finish-step":
        steps += 1;
        inputTokens += part.usage.inputTokens ?? 0;
        outputTokens += part.usage.outputTokens ?? 0;
        return null;
      case "finish":
        finishReason = part.finishReason;
        return null;
      case "error":
        streamError = part.error;
        return null;
      case "abort":
        aborted = true;
        return null;
      default:
        return null;
    }
  }

  return {
    accept,
    appendText,
    addUsage,
    get text() {
      return text;
    },
    get usage(): Usage {
      return {
        input_tokens: inputTokens,
        output_tokens: outputTokens,
        total_tokens: inputTokens + outputTokens,
        steps,
      };
    },
    get finishReason() {
      return finishReason;
    },
    get error() {
      return streamError;
    },
    get aborted() {
      return aborted;
    },
  };
}
