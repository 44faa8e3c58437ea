import { EventSourceParserStream } from "@ai-sdk/provider-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AgentEvent,
  createSseParser,
  encodeSseComment,
  encodeSseEvent,
  encodeSseFrame,
  parseAgentEventFrame,
  parseSseStream,
  readSseStream,
  type SseFrame,
} from "../../src/events/index.ts";
import { allSampleEvents, sampleEvents } from "./sample-events.ts";

const awkwardText = "line one\nline two\r\nthree\rfour — ünïcödé 🚀 \u2028 \0 end";

const awkwardEvents: AgentEvent[] = [
  { ...sampleEvents.text_delta, delta: awkwardText },
  { ...sampleEvents.tool_result, output: { text: awkwardText, nested: ["\r", "\n", "\r\n"] } },
  { ...sampleEvents.error, message: "data: not a field\n\nid: 99\n" },
  { ...sampleEvents.agent_event, seq: 12, event: { ...sampleEvents.text_delta, delta: awkwardText } },
];

const everyEvent = [...allSampleEvents, ...awkwardEvents];
const stream = [encodeSseComment("connected"), ...everyEvent.map(encodeSseEvent), encodeSseComment()].join(
  "",
);

function expectedFrame(event: AgentEvent): SseFrame {
  return { id: String(event.seq), event: event.type, data: JSON.stringify(event) };
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

describe("encodeSseEvent", () => {
  it("writes id, event and one-line JSON data, then a blank line", () => {
    expect(encodeSseEvent(sampleEvents.text_delta)).toBe(
      `id: 3\nevent: text_delta\ndata: ${JSON.stringify(sampleEvents.text_delta)}\n\n`,
    );
  });

  it("keeps the payload on one line whatever the text contains", () => {
    for (const event of awkwardEvents) {
      const lines = encodeSseEvent(event).split(/\r\n|\r|\n/);
      expect(lines).toHaveLength(5);
      expect(lines.slice(3)).toEqual(["", ""]);
    }
  });

  it("uses the outer seq as the frame id of a nested agent_event", () => {
    expect(encodeSseEvent(sampleEvents.agent_event).startsWith("id: 9\nevent: agent_event\n")).toBe(true);
  });
});

describe("encodeSseComment", () => {
  it("writes a comment frame that no parser reports as an event", () => {
    expect(encodeSseComment("heartbeat")).toBe(": heartbeat\n\n");
    expect(parseSseStream(encodeSseComment("a\nb") + encodeSseComment())).toEqual([]);
  });
});

describe("encodeSseFrame", () => {
  it("splits multi-line data into data lines that parse back joined by LF", () => {
    const text = encodeSseFrame({ event: "note", data: "a\r\nb\rc\nd", retry: 1500 });
    expect(text).toBe("event: note\nretry: 1500\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
    expect(parseSseStream(text)).toEqual([{ id: "", event: "note", data: "a\nb\nc\nd", retry: 1500 }]);
  });

  it("refuses an id or event name that would break the frame", () => {
    expect(() => encodeSseFrame({ id: "1\n2", data: "x" })).toThrow();
    expect(() => encodeSseFrame({ id: "1\u00002", data: "x" })).toThrow();
    expect(() => encodeSseFrame({ event: "a\rb", data: "x" })).toThrow();
  });
});

describe("parseSseStream", () => {
  it("round-trips every event type, including newlines, CR and unicode in the data", () => {
    const frames = parseSseStream(stream);
    expect(frames).toEqual(everyEvent.map(expectedFrame));
    expect(frames.map(parseAgentEventFrame)).toEqual(everyEvent);
  });

  it("follows the EventSource rules for line ends, fields and defaults", () => {
    const text = [
      "\uFEFF: comment\r\n",
      "data\r\n\r\n",
      "id: 7\rdata:no space\rdata:  two spaces\r\r",
      "event: custom\nunknown: ignored\ndata: x\nretry: soon\n\n",
      "id: bad\u0000id\nevent: orphan\n\n",
      "data: after orphan\n\n",
      "id\ndata: reset id\n\n",
      "data: never terminated",
    ].join("");
    expect(parseSseStream(text)).toEqual([
      { id: "", event: "message", data: "" },
      { id: "7", event: "message", data: "no space\n two spaces" },
      { id: "7", event: "custom", data: "x" },
      { id: "7", event: "message", data: "after orphan" },
      { id: "", event: "message", data: "reset id" },
    ]);
  });
});

describe("an independent EventSource parser", () => {
  it("reads our stream into the same events (eventsource-parser, as used by the AI SDK)", async () => {
    const body = new Response(stream).body;
    if (!body) throw new Error("expected a body");
    const messages = await collect(
      body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()),
    );
    expect(messages.map(({ id, event, data }) => ({ id, event, data }))).toEqual(
      everyEvent.map(expectedFrame),
    );
  });
});

describe("createSseParser", () => {
  // Our encoder writes LF; proxies and other servers may use CRLF or CR, and the raw JSON holds
  // no line breaks, so rewriting the line ends yields an equivalent stream.
  const variants = {
    LF: stream,
    CRLF: stream.replaceAll("\n", "\r\n"),
    CR: stream.replaceAll("\n", "\r"),
  };

  it.each(Object.entries(variants))("yields identical frames however a %s stream is split", (_name, text) => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat({ max: text.length }), { maxLength: 40 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), text.length];
        const parser = createSseParser();
        const frames: SseFrame[] = [];
        for (let index = 1; index < points.length; index++) {
          frames.push(...parser.push(text.slice(points[index - 1], points[index])));
        }
        frames.push(...parser.end());
        expect(frames).toEqual(everyEvent.map(expectedFrame));
      }),
      { numRuns: 200 },
    );
  });

  it("treats a CRLF split between two chunks as one line end", () => {
    const parser = createSseParser();
    expect(parser.push("data: a\r")).toEqual([]);
    expect(parser.push("\ndata: b\r")).toEqual([]);
    expect(parser.push("\n\r\n")).toEqual([{ id: "", event: "message", data: "a\nb" }]);
  });
});

describe("readSseStream", () => {
  it("decodes UTF-8 bytes split anywhere, even inside a multi-byte character", async () => {
    const bytes = new TextEncoder().encode(stream);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.nat({ max: bytes.length }), { maxLength: 40 }), async (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), bytes.length];
        async function* chunks(): AsyncGenerator<Uint8Array> {
          for (let index = 1; index < points.length; index++) {
            yield bytes.slice(points[index - 1], points[index]);
          }
        }
        expect(await collect(readSseStream(chunks()))).toEqual(everyEvent.map(expectedFrame));
      }),
      { numRuns: 100 },
    );
  });

  it("reads a fetch Response body", async () => {
    const response = new Response(encodeSseEvent(sampleEvents.start) + encodeSseEvent(sampleEvents.done));
    if (!response.body) throw new Error("expected a body");
    const frames = await collect(readSseStream(response.body));
    expect(frames.map(parseAgentEventFrame)).toEqual([sampleEvents.start, sampleEvents.done]);
  });
});
