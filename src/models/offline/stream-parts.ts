import { setTimeout as sleep } from "node:timers/promises";
import type { LanguageModelV3StreamPart, LanguageModelV3Usage } from "@ai-sdk/provider";
import { type PlannedResponse, splitWords } from "./plan-response.ts";

export type StreamTiming = {
  chunkDelayMs: number;
  abortSignal: AbortSignal | undefined;
};

/** The planned response as V3 stream parts: one text delta per word, then tool calls, then finish. */
export function toStreamParts(
  response: PlannedResponse,
  usage: LanguageModelV3Usage,
  responseId: string,
): LanguageModelV3StreamPart[] {
  const parts: LanguageModelV3StreamPart[] = [
    { type: "stream-start", warnings: [] },
    { type: "response-metadata", id: responseId, modelId: "offline" },
  ];
  if (response.text.length > 0) {
    const id = "text-0";
    parts.push({ type: "text-start", id });
    for (const word of splitWords(response.text)) parts.push({ type: "text-delta", id, delta: word });
    parts.push({ type: "text-end", id });
  }
  for (const call of response.toolCalls) {
    parts.push({
      type: "tool-call",
      toolCallId: call.toolCallId,
      toolName: call.toolName,
      input: call.input,
    });
  }
  parts.push({ type: "finish", usage, finishReason: response.finishReason });
  return parts;
}

/**
 * Without a delay every part is queued at once (no timers). With a delay, parts are produced
 * on demand and each pause between deltas ends early when the call is aborted.
 */
export function createPartStream(
  parts: ReadonlyArray<LanguageModelV3StreamPart>,
  timing: StreamTiming,
): ReadableStream<LanguageModelV3StreamPart> {
  const { chunkDelayMs, abortSignal } = timing;
  if (chunkDelayMs <= 0) {
    return new ReadableStream({
      start(controller) {
        for (const part of parts) controller.enqueue(part);
        controller.close();
      },
    });
  }
  let index = 0;
  let previousWasDelta = false;
  return new ReadableStream({
    async pull(controller) {
      const part = parts[index];
      if (part === undefined) {
        controller.close();
        return;
      }
      try {
        if (part.type === "text-delta" && previousWasDelta) {
          await sleep(chunkDelayMs, undefined, { signal: abortSignal });
        }
        abortSignal?.throwIfAborted();
      } catch (error) {
        controller.error(abortSignal?.aborted ? abortSignal.reason : error);
        return;
      }
      previousWasDelta = part.type === "text-delta";
      index += 1;
      controller.enqueue(part);
    },
    cancel() {
      index = parts.length;
    },
  });
}
