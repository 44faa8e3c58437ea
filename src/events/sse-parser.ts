import { type AgentEvent, AgentEventSchema } from "./event-schema.ts";

/** One dispatched event, as an EventSource would hand it to a listener. */
export interface SseFrame {
  /** The last event id seen on the stream so far ("" when none); it persists across frames. */
  id: string;
  /** The `event:` field, or "message" when the frame had none. */
  event: string;
  data: string;
  /** Set only on frames that carried a valid `retry:` field. */
  retry?: number;
}

export interface SseParser {
  /** Feeds decoded text; returns the frames completed by it. */
  push(text: string): SseFrame[];
  /**
   * Ends the stream. A trailing frame without its blank line is dropped, as EventSource does:
   * a frame is only complete once its terminating blank line arrived.
   */
  end(): SseFrame[];
}

/**
 * An incremental parser following the WHATWG "event stream interpretation" rules: LF, CR and
 * CRLF line ends (a CRLF may be split across pushes), comments, multi-line data, a leading BOM,
 * `id` values containing NUL ignored, non-digit `retry` ignored, frames with no data skipped.
 */
export function createSseParser(): SseParser {
  let buffer = "";
  let isFirstText = true;
  // A chunk ending in CR may be the first half of a CRLF; the LF must then not end another line.
  let skipLeadingLineFeed = false;
  let lastEventId = "";
  let eventType = "";
  let data = "";
  let hasData = false;
  let retry: number | undefined;

  function dispatch(frames: SseFrame[]): void {
    if (hasData) {
      const frame: SseFrame = { id: lastEventId, event: eventType === "" ? "message" : eventType, data };
      if (retry !== undefined) frame.retry = retry;
      frames.push(frame);
    }
    eventType = "";
    data = "";
    hasData = false;
    retry = undefined;
  }

  function processLine(line: string, frames: SseFrame[]): void {
    if (line === "") {
      dispatch(frames);
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "event":
        eventType = value;
        break;
      case "data":
        data = hasData ? `${data}\n${value}` : value;
        hasData = true;
        break;
      case "id":
        if (!value.includes("\0")) lastEventId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) retry = Number(value);
        break;
      default:
        break;
    }
  }

  return {
    push(text) {
      const frames: SseFrame[] = [];
      let input = text;
      if (isFirstText && input !== "") {
        isFirstText = false;
        if (input.startsWith("\uFEFF")) input = input.slice(1);
      }
      if (skipLeadingLineFeed && input !== "") {
        skipLeadingLineFeed = false;
        if (input.startsWith("\n")) input = input.slice(1);
      }
      // The kept remainder holds no line break, so scanning resumes where the new text begins.
      const scanFrom = buffer.length;
      buffer += input;
      let start = 0;
      for (let index = scanFrom; index < buffer.length; index++) {
        const character = buffer[index];
        if (character !== "\n" && character !== "\r") continue;
        processLine(buffer.slice(start, index), frames);
        if (character === "\r") {
          if (index + 1 === buffer.length) {
            skipLeadingLineFeed = true;
          } else if (buffer[index + 1] === "\n") {
            index++;
          }
        }
        start = index + 1;
      }
      buffer = buffer.slice(start);
      return frames;
    },
    end() {
      buffer = "";
      eventType = "";
      data = "";
      hasData = false;
      retry = undefined;
      return [];
    },
  };
}

/** Parses a complete event stream held in memory. */
export function parseSseStream(text: string): SseFrame[] {
  const parser = createSseParser();
  return [...parser.push(text), ...parser.end()];
}

/**
 * Reads frames from a byte or text stream as they complete (a fetch body, a Node stream, an
 * async generator). Bytes are decoded as UTF-8 across chunk boundaries.
 */
export async function* readSseStream(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseFrame> {
  const parser = createSseParser();
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  for await (const chunk of source) {
    const text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    yield* parser.push(text);
  }
  yield* parser.push(decoder.decode());
  yield* parser.end();
}

/** Validates a frame of our native stream back into the event it carries. */
export function parseAgentEventFrame(frame: SseFrame): AgentEvent {
  return AgentEventSchema.parse(JSON.parse(frame.data));
}
