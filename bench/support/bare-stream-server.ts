/**
 * Child-process entry, the baseline of the streaming benchmarks: bare Fastify with one route that
 * runs AI SDK `streamText` on the offline model and writes its text deltas as server-sent events,
 * framed like Switchboard's (`id`, `event`, JSON `data`) with the same frames around them: one
 * before the text and two after it. No database, no auth, no event schema: the least a server
 * relaying a model stream has to do.
 */
import { randomUUID } from "node:crypto";
import { streamText } from "ai";
import Fastify from "fastify";
import { z } from "zod";
import { BARE_STREAM_PATH, bareCallOptions } from "./agent-workload.ts";
import { announceServer } from "./server-announce.ts";

const BodySchema = z.object({ message: z.string() });

const server = Fastify({ logger: false });
server.post(BARE_STREAM_PATH, async (request, reply) => {
  const { message } = BodySchema.parse(request.body);
  const raw = reply.hijack().raw;
  raw.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
  const runId = randomUUID();
  let seq = 0;
  const frame = (type: string, fields: Record<string, unknown>) => {
    seq += 1;
    raw.write(
      `id: ${seq}\nevent: ${type}\ndata: ${JSON.stringify({ type, run_id: runId, seq, ...fields })}\n\n`,
    );
  };
  frame("start", {});
  const result = streamText(bareCallOptions(message));
  for await (const part of result.fullStream) {
    if (part.type === "text-delta") frame("text_delta", { delta: part.text });
    else if (part.type === "finish")
      frame("metadata", { usage: part.totalUsage, finish_reason: part.finishReason });
  }
  frame("done", {});
  raw.end();
});
const url = await server.listen({ port: 0, host: "127.0.0.1" });
announceServer({ url });
