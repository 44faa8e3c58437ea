import { safeValidateTypes } from "@ai-sdk/provider-utils";
import {
  AbstractChat,
  type ChatState,
  type ChatStatus,
  DefaultChatTransport,
  readUIMessageStream,
  type UIMessageChunk,
  uiMessageChunkSchema,
} from "ai";
import { describe, expect, it } from "vitest";
import {
  type AgentEvent,
  type AgentUiMessage,
  type AgentUiMessageChunk,
  AgentUiMessageMetadataSchema,
  agentUiDataPartSchemas,
  createEventSequencer,
  createUiMessageStreamEncoder,
  encodeUiChunkAsSse,
  UI_MESSAGE_STREAM_DONE,
  UI_MESSAGE_STREAM_HEADERS,
} from "../../src/events/index.ts";
import { allSampleEvents, sampleEvents } from "./sample-events.ts";

function realisticRun(): AgentEvent[] {
  const next = createEventSequencer("run-1");
  const child = createEventSequencer("run-2");
  const childEnvelope = {
    parent_message_id: "msg-1",
    child_agent: "researcher",
    child_message_id: "msg-2",
    depth: 1,
  } as const;
  return [
    next({ ...sampleEvents.start }),
    next({ type: "text_delta", delta: "Let me check " }),
    next({ type: "text_delta", delta: "the catalog." }),
    next({
      type: "tool_call",
      tool_call_id: "call-1",
      tool_name: "search_products",
      input: { query: "shoes" },
    }),
    next({
      type: "tool_result",
      tool_call_id: "call-1",
      tool_name: "search_products",
      output: [{ name: "Runner", price: 89.5 }],
      is_error: false,
    }),
    next({ type: "text_delta", delta: "The Runner costs 89.50 [1]." }),
    next({
      type: "agent_event",
      ...childEnvelope,
      event: child({ ...sampleEvents.start, message_id: "msg-2", depth: 1, parent_run_id: "run-1" }),
    }),
    next({
      type: "agent_event",
      ...childEnvelope,
      event: child({ type: "text_delta", delta: "child says hi" }),
    }),
    next({ ...sampleEvents.metadata }),
    next({ type: "done", finish_reason: "stop" }),
  ];
}

function encodeAll(events: AgentEvent[]): AgentUiMessageChunk[] {
  const encoder = createUiMessageStreamEncoder();
  return [...events.flatMap((event) => encoder.encode(event)), ...encoder.finish()];
}

function sseResponse(chunks: UIMessageChunk[]): Response {
  const body = chunks.map(encodeUiChunkAsSse).join("") + UI_MESSAGE_STREAM_DONE;
  return new Response(body, { headers: UI_MESSAGE_STREAM_HEADERS });
}

async function lastMessage(stream: ReadableStream<UIMessageChunk>): Promise<AgentUiMessage | undefined> {
  let message: AgentUiMessage | undefined;
  for await (const snapshot of readUIMessageStream<AgentUiMessage>({ stream, terminateOnError: true })) {
    message = snapshot;
  }
  return message;
}

class MemoryChatState implements ChatState<AgentUiMessage> {
  status: ChatStatus = "ready";
  error: Error | undefined = undefined;
  messages: AgentUiMessage[] = [];
  pushMessage = (message: AgentUiMessage) => {
    this.messages = [...this.messages, message];
  };
  popMessage = () => {
    this.messages = this.messages.slice(0, -1);
  };
  replaceMessage = (index: number, message: AgentUiMessage) => {
    this.messages = this.messages.map((existing, position) => (position === index ? message : existing));
  };
  snapshot = <T>(thing: T): T => structuredClone(thing);
}

// What `useChat` wraps: AbstractChat with a state store; React only adds re-rendering.
class TestChat extends AbstractChat<AgentUiMessage> {
  constructor(response: () => Response) {
    super({
      state: new MemoryChatState(),
      transport: new DefaultChatTransport({ fetch: async () => response() }),
      dataPartSchemas: agentUiDataPartSchemas,
      messageMetadataSchema: AgentUiMessageMetadataSchema,
    });
  }
}

const expectedParts = [
  { type: "text", text: "Let me check the catalog.", state: "done" },
  {
    type: "tool-search_products",
    toolCallId: "call-1",
    state: "output-available",
    input: { query: "shoes" },
    output: [{ name: "Runner", price: 89.5 }],
  },
  { type: "text", text: "The Runner costs 89.50 [1].", state: "done" },
  {
    type: "data-agent-event",
    data: { child_agent: "researcher", event: { type: "start", message_id: "msg-2" } },
  },
  { type: "data-agent-event", data: { depth: 1, event: { type: "text_delta", delta: "child says hi" } } },
  { type: "data-metadata", data: { agent_schema: "support", model: "offline" } },
];

describe("createUiMessageStreamEncoder", () => {
  it("emits only chunks the AI SDK's own schema accepts, for every event type", async () => {
    const chunks = [...encodeAll(allSampleEvents), ...encodeAll(realisticRun())];
    for (const chunk of chunks) {
      const result = await safeValidateTypes({ value: chunk, schema: uiMessageChunkSchema });
      expect(result.success, JSON.stringify(chunk)).toBe(true);
    }
  });

  it("is read by the SDK's readUIMessageStream as one assistant message", async () => {
    const transport = new DefaultChatTransport<AgentUiMessage>({
      fetch: async () => sseResponse(encodeAll(realisticRun())),
    });
    const stream = await transport.sendMessages({
      trigger: "submit-message",
      chatId: "chat-1",
      messageId: undefined,
      messages: [],
      abortSignal: undefined,
    });
    const message = await lastMessage(stream);
    expect(message?.id).toBe("msg-1");
    expect(message?.role).toBe("assistant");
    expect(message?.metadata).toEqual({
      run_id: "run-1",
      conversation_id: "conv-1",
      message_id: "msg-1",
      agent_schema: "support",
      agent_type: "simple-chat",
      instance: "support",
    });
    expect(message?.parts).toMatchObject(expectedParts);
    expect(message?.parts).toHaveLength(expectedParts.length);
  });

  it("drives an AI SDK Chat (what useChat wraps) to a ready state with validated data parts", async () => {
    const chat = new TestChat(() => sseResponse(encodeAll(realisticRun())));
    await chat.sendMessage({ text: "Red shoes?" });
    expect(chat.error).toBeUndefined();
    expect(chat.status).toBe("ready");
    const assistant = chat.messages.at(-1);
    expect(assistant?.role).toBe("assistant");
    expect(assistant?.parts).toMatchObject(expectedParts);
  });

  it("closes the open text part before a tool part and uses a new id for the next text", () => {
    const [start, firstDelta, secondDelta, toolCall] = realisticRun();
    if (!start || !firstDelta || !secondDelta || !toolCall) throw new Error("run too short");
    const encoder = createUiMessageStreamEncoder();
    expect(encoder.encode(start)).toEqual([
      { type: "start", messageId: "msg-1", messageMetadata: expect.objectContaining({ run_id: "run-1" }) },
    ]);
    expect(encoder.encode(firstDelta)).toEqual([
      { type: "text-start", id: "text-1" },
      { type: "text-delta", id: "text-1", delta: "Let me check " },
    ]);
    expect(encoder.encode(secondDelta)).toEqual([
      { type: "text-delta", id: "text-1", delta: "the catalog." },
    ]);
    expect(encoder.encode(toolCall).map((chunk) => chunk.type)).toEqual(["text-end", "tool-input-available"]);
    expect(encoder.encode({ ...sampleEvents.text_delta, delta: "again" })).toEqual([
      { type: "text-start", id: "text-2" },
      { type: "text-delta", id: "text-2", delta: "again" },
    ]);
    expect(encoder.encode(sampleEvents.done)).toEqual([
      { type: "text-end", id: "text-2" },
      { type: "finish", finishReason: "stop" },
    ]);
  });

  it("announces the message before a routing decision and keeps it when the agent starts", () => {
    const encoder = createUiMessageStreamEncoder({ messageId: "msg-1" });
    expect(encoder.encode(sampleEvents.routing)).toEqual([
      { type: "start", messageId: "msg-1" },
      { type: "data-routing", data: sampleEvents.routing },
    ]);
    expect(encoder.encode(sampleEvents.start).map((chunk) => chunk.type)).toEqual(["message-metadata"]);
  });

  it("maps failures: tool errors, run errors, aborts and unknown finish reasons", () => {
    const encoder = createUiMessageStreamEncoder();
    encoder.encode(sampleEvents.start);
    encoder.encode(sampleEvents.tool_call);
    expect(
      encoder.encode({ ...sampleEvents.tool_result, is_error: true, output: { reason: "timeout" } }),
    ).toEqual([{ type: "tool-output-error", toolCallId: "call-1", errorText: '{"reason":"timeout"}' }]);
    expect(encoder.encode(sampleEvents.error)).toEqual([{ type: "error", errorText: "researcher failed" }]);
    expect(encoder.encode({ ...sampleEvents.done, finish_reason: "aborted" })).toEqual([
      { type: "abort", reason: "aborted" },
    ]);
    expect(encoder.encode(sampleEvents.text_delta)).toEqual([]);
    expect(encoder.finish()).toEqual([]);

    const other = createUiMessageStreamEncoder();
    other.encode(sampleEvents.start);
    expect(other.encode({ ...sampleEvents.done, finish_reason: "budget_exhausted" })).toEqual([
      { type: "finish", finishReason: "other" },
    ]);
  });

  it("announces a tool call the client never saw before its result", () => {
    const encoder = createUiMessageStreamEncoder();
    encoder.encode(sampleEvents.start);
    expect(encoder.encode(sampleEvents.tool_result).map((chunk) => chunk.type)).toEqual([
      "tool-input-available",
      "tool-output-available",
    ]);
  });

  it("finishes a stream that ended without done as interrupted", () => {
    const encoder = createUiMessageStreamEncoder();
    encoder.encode(sampleEvents.start);
    encoder.encode(sampleEvents.text_delta);
    expect(encoder.finish()).toEqual([
      { type: "text-end", id: "text-1" },
      { type: "finish", finishReason: "interrupted" },
    ]);
    expect(createUiMessageStreamEncoder().finish()).toEqual([]);
  });

  it("frames chunks exactly as the SDK server does", () => {
    expect(encodeUiChunkAsSse({ type: "text-delta", id: "text-1", delta: "a\nb" })).toBe(
      'data: {"type":"text-delta","id":"text-1","delta":"a\\nb"}\n\n',
    );
    expect(UI_MESSAGE_STREAM_DONE).toBe("data: [DONE]\n\n");
    expect(UI_MESSAGE_STREAM_HEADERS["x-vercel-ai-ui-message-stream"]).toBe("v1");
  });
});
