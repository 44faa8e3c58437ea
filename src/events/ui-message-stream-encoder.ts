import type { FinishReason, UIMessage, UIMessageChunk } from "ai";
import type { z } from "zod";
import {
  type AgentEvent,
  assertNeverEvent,
  type HandoffEvent,
  HandoffEventSchema,
  type MetadataEvent,
  MetadataEventSchema,
  type NestedAgentEvent,
  NestedAgentEventSchema,
  type ProgressEvent,
  ProgressEventSchema,
  type RoutingEvent,
  RoutingEventSchema,
  type StartEvent,
  StartEventSchema,
} from "./event-schema.ts";

/**
 * Translates our events into the AI SDK UI message stream protocol (v1), so a React `useChat`
 * client reads a Switchboard run as one assistant message: text parts, `tool-<name>` parts, and
 * everything without a native chunk as `data-*` parts carrying our event object unchanged.
 */

// The SDK sends exactly these headers; `x-vercel-ai-ui-message-stream: v1` tells clients the protocol.
export { UI_MESSAGE_STREAM_HEADERS } from "ai";

/** The SSE line that ends a UI message stream, as the SDK's JsonToSseTransformStream writes it. */
export const UI_MESSAGE_STREAM_DONE = "data: [DONE]\n\n";

/** `message.metadata` of the assistant message: who answered, taken from the run's `start`. */
export const AgentUiMessageMetadataSchema = StartEventSchema.pick({
  run_id: true,
  conversation_id: true,
  message_id: true,
  agent_schema: true,
  agent_type: true,
  instance: true,
});
export type AgentUiMessageMetadata = z.infer<typeof AgentUiMessageMetadataSchema>;

export type AgentUiDataTypes = {
  routing: RoutingEvent;
  metadata: MetadataEvent;
  progress: ProgressEvent;
  handoff: HandoffEvent;
  "agent-event": NestedAgentEvent;
};

/** Pass as `useChat({ dataPartSchemas, messageMetadataSchema })` to validate what arrives. */
export const agentUiDataPartSchemas = {
  routing: RoutingEventSchema,
  metadata: MetadataEventSchema,
  progress: ProgressEventSchema,
  handoff: HandoffEventSchema,
  "agent-event": NestedAgentEventSchema,
};

/** Type a `useChat<AgentUiMessage>()` client with this to get typed data parts and metadata. */
export type AgentUiMessage = UIMessage<AgentUiMessageMetadata, AgentUiDataTypes>;
export type AgentUiMessageChunk = UIMessageChunk<AgentUiMessageMetadata, AgentUiDataTypes>;

export interface UiMessageStreamEncoderOptions {
  /** Announced when other events (routing on unified chat) come before the agent's `start`. */
  messageId?: string;
}

export interface UiMessageStreamEncoder {
  /** The chunks for one event; none once the message has finished. */
  encode(event: AgentEvent): AgentUiMessageChunk[];
  /** Closes what is still open; a stream that ended without `done` finishes as "interrupted". */
  finish(): AgentUiMessageChunk[];
}

const FINISH_REASONS: ReadonlySet<string> = new Set<FinishReason>([
  "stop",
  "length",
  "content-filter",
  "tool-calls",
  "error",
  "interrupted",
  "other",
]);

function isFinishReason(value: string): value is FinishReason {
  return FINISH_REASONS.has(value);
}

function toErrorText(output: unknown): string {
  if (typeof output === "string") return output;
  return JSON.stringify(output) ?? "Tool execution failed";
}

function toMessageMetadata(event: StartEvent): AgentUiMessageMetadata {
  return {
    run_id: event.run_id,
    conversation_id: event.conversation_id,
    message_id: event.message_id,
    agent_schema: event.agent_schema,
    agent_type: event.agent_type,
    instance: event.instance,
  };
}

export function createUiMessageStreamEncoder(
  options: UiMessageStreamEncoderOptions = {},
): UiMessageStreamEncoder {
  let started = false;
  let finished = false;
  let textPartCount = 0;
  let openTextId: string | undefined;
  const announcedToolCallIds = new Set<string>();

  function closeText(chunks: AgentUiMessageChunk[]): void {
    if (openTextId === undefined) return;
    chunks.push({ type: "text-end", id: openTextId });
    openTextId = undefined;
  }

  function ensureStarted(chunks: AgentUiMessageChunk[]): void {
    if (started) return;
    started = true;
    chunks.push(
      options.messageId === undefined ? { type: "start" } : { type: "start", messageId: options.messageId },
    );
  }

  function encodeStart(event: StartEvent, chunks: AgentUiMessageChunk[]): void {
    const messageMetadata = toMessageMetadata(event);
    if (started) {
      // A new `start` chunk with another messageId would make the client drop the parts so far.
      chunks.push({ type: "message-metadata", messageMetadata });
      return;
    }
    started = true;
    chunks.push({ type: "start", messageId: options.messageId ?? event.message_id, messageMetadata });
  }

  function encodeEvent(event: AgentEvent, chunks: AgentUiMessageChunk[]): void {
    switch (event.type) {
      case "start":
        encodeStart(event, chunks);
        return;
      case "text_delta":
        if (event.delta === "") return;
        if (openTextId === undefined) {
          textPartCount += 1;
          openTextId = `text-${textPartCount}`;
          chunks.push({ type: "text-start", id: openTextId });
        }
        chunks.push({ type: "text-delta", id: openTextId, delta: event.delta });
        return;
      case "tool_call":
        announcedToolCallIds.add(event.tool_call_id);
        chunks.push({
          type: "tool-input-available",
          toolCallId: event.tool_call_id,
          toolName: event.tool_name,
          input: event.input,
        });
        return;
      case "tool_result":
        // The client rejects a result for a call it never saw, so a resumed stream re-announces it.
        if (!announcedToolCallIds.has(event.tool_call_id)) {
          announcedToolCallIds.add(event.tool_call_id);
          chunks.push({
            type: "tool-input-available",
            toolCallId: event.tool_call_id,
            toolName: event.tool_name,
            input: {},
          });
        }
        chunks.push(
          event.is_error
            ? {
                type: "tool-output-error",
                toolCallId: event.tool_call_id,
                errorText: toErrorText(event.output),
              }
            : { type: "tool-output-available", toolCallId: event.tool_call_id, output: event.output },
        );
        return;
      case "routing":
        chunks.push({ type: "data-routing", data: event });
        return;
      case "metadata":
        // One part per run, updated in place if the run reports its metadata again.
        chunks.push({ type: "data-metadata", id: `metadata-${event.run_id}`, data: event });
        return;
      case "progress":
        // Keyed by phase so a progress bar moves instead of stacking one part per tick.
        chunks.push({ type: "data-progress", id: `progress-${event.run_id}-${event.phase}`, data: event });
        return;
      case "handoff":
        chunks.push({ type: "data-handoff", data: event });
        return;
      case "agent_event":
        chunks.push({ type: "data-agent-event", data: event });
        return;
      case "error":
        chunks.push({ type: "error", errorText: event.message });
        return;
      case "done":
        finished = true;
        if (event.finish_reason === "aborted") {
          chunks.push({ type: "abort", reason: "aborted" });
          return;
        }
        if (event.finish_reason === undefined) {
          chunks.push({ type: "finish" });
          return;
        }
        chunks.push({
          type: "finish",
          finishReason: isFinishReason(event.finish_reason) ? event.finish_reason : "other",
        });
        return;
      default:
        assertNeverEvent(event);
    }
  }

  return {
    encode(event) {
      if (finished) return [];
      const chunks: AgentUiMessageChunk[] = [];
      // Closing the text part here keeps the client's part order equal to the event order.
      if (event.type !== "text_delta") closeText(chunks);
      if (event.type !== "start") ensureStarted(chunks);
      encodeEvent(event, chunks);
      return chunks;
    },
    finish() {
      if (finished) return [];
      finished = true;
      const chunks: AgentUiMessageChunk[] = [];
      closeText(chunks);
      if (started) chunks.push({ type: "finish", finishReason: "interrupted" });
      return chunks;
    },
  };
}

/** One UI message chunk as an SSE frame, byte-for-byte what the SDK's own server writes. */
export function encodeUiChunkAsSse(chunk: UIMessageChunk): string {
  return `data: ${JSON.stringify(chunk)}\n\n`;
}
