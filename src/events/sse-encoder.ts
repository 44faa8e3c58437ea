import type { AgentEvent } from "./event-schema.ts";

/**
 * Headers for our native event stream. No `connection` header: it is implied on HTTP/1.1 and
 * forbidden on HTTP/2. `x-accel-buffering` stops nginx-style proxies from holding frames back.
 */
export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
} as const;

export interface SseFrameInput {
  id?: string;
  event?: string;
  data: string;
  retry?: number;
}

const LINE_BREAK = /\r\n|\r|\n/;

function assertSingleLine(name: string, value: string): void {
  if (LINE_BREAK.test(value)) {
    throw new Error(`SSE ${name} must not contain a line break`);
  }
}

/**
 * Encodes one frame. Multi-line data becomes one `data:` line per line, which the EventSource
 * algorithm joins back with "\n"; CR and CRLF inside data therefore arrive as "\n".
 */
export function encodeSseFrame(frame: SseFrameInput): string {
  let text = "";
  if (frame.id !== undefined) {
    // A NUL makes a conforming client ignore the whole id field.
    if (frame.id.includes("\0")) throw new Error("SSE id must not contain NUL");
    assertSingleLine("id", frame.id);
    text += `id: ${frame.id}\n`;
  }
  if (frame.event !== undefined) {
    assertSingleLine("event", frame.event);
    text += `event: ${frame.event}\n`;
  }
  if (frame.retry !== undefined) {
    if (!Number.isSafeInteger(frame.retry) || frame.retry < 0) {
      throw new Error("SSE retry must be a non-negative integer");
    }
    text += `retry: ${frame.retry}\n`;
  }
  for (const line of frame.data.split(LINE_BREAK)) {
    text += `data: ${line}\n`;
  }
  return `${text}\n`;
}

/**
 * `id: <seq>\nevent: <type>\ndata: <json>\n\n`. JSON.stringify escapes CR and LF inside strings,
 * so the payload is always one line and arrives byte-for-byte. For `agent_event` the id is the
 * outer frame's seq: resumption is per stream, not per nested child run.
 */
export function encodeSseEvent(event: AgentEvent): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** A comment frame (`: text`), used as a heartbeat; clients never see it as an event. */
export function encodeSseComment(text = ""): string {
  return `${text
    .split(LINE_BREAK)
    .map((line) => (line === "" ? ":" : `: ${line}`))
    .join("\n")}\n\n`;
}
