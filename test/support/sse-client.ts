import {
  type AgentEvent,
  parseAgentEventFrame,
  readSseStream,
  type SseFrame,
} from "../../src/events/index.ts";

export interface StreamedResponse {
  status: number;
  headers: Headers;
  frames: SseFrame[];
  events: AgentEvent[];
  /** Every byte as received, comments included. */
  raw: string;
  // biome-ignore lint/suspicious/noExplicitAny: an error body is asserted field by field
  errorBody: any;
}

/** Sends a chat request to a stream endpoint and reads the whole SSE response. */
export async function readStream(
  url: string,
  options: { key: string; body?: unknown; method?: string; signal?: AbortSignal },
): Promise<StreamedResponse> {
  const response = await fetch(url, {
    method: options.method ?? "POST",
    headers: {
      authorization: `Bearer ${options.key}`,
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  if (!response.headers.get("content-type")?.startsWith("text/event-stream")) {
    return {
      status: response.status,
      headers: response.headers,
      frames: [],
      events: [],
      raw: "",
      errorBody: await response.json(),
    };
  }
  let raw = "";
  const body = response.body;
  if (!body) throw new Error("stream response without a body");
  const decoder = new TextDecoder();
  async function* tee() {
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      raw += decoder.decode(chunk, { stream: true });
      yield chunk;
    }
  }
  const frames: SseFrame[] = [];
  for await (const frame of readSseStream(tee())) frames.push(frame);
  const events = frames.filter((frame) => frame.event !== "message").map(parseAgentEventFrame);
  return { status: response.status, headers: response.headers, frames, events, raw, errorBody: null };
}

export function eventTypes(events: AgentEvent[]): string[] {
  return events.map((event) => event.type);
}

export function textOf(events: AgentEvent[]): string {
  return events.map((event) => (event.type === "text_delta" ? event.delta : "")).join("");
}
