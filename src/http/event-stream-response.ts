import type { FastifyReply, FastifyRequest } from "fastify";
import type { PreparedRun } from "../agents/chat-service.ts";
import { createEventChannel } from "../events/event-channel.ts";
import {
  type AgentEvent,
  createUiMessageStreamEncoder,
  encodeSseComment,
  encodeSseEvent,
  encodeUiChunkAsSse,
  SSE_HEADERS,
  UI_MESSAGE_STREAM_DONE,
  UI_MESSAGE_STREAM_HEADERS,
} from "../events/index.ts";

export type StreamFormat = "sse" | "ui";

/**
 * An AbortSignal that fires when the client goes away before the response is complete, so the
 * model call (and everything under it) stops instead of generating for nobody.
 */
export function clientDisconnectSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.on("close", () => {
    if (!reply.raw.writableFinished) controller.abort(new Error("client disconnected"));
  });
  return controller.signal;
}

/** Streams a prepared run as server-sent events, in our event format or the AI SDK UI stream format. */
export async function sendEventStream(
  request: FastifyRequest,
  reply: FastifyReply,
  prepared: PreparedRun,
  options: { format: StreamFormat; heartbeatMs: number },
): Promise<void> {
  const signal = clientDisconnectSignal(reply);
  const raw = reply.raw;
  reply.hijack();
  const formatHeaders = options.format === "ui" ? UI_MESSAGE_STREAM_HEADERS : {};
  // Headers hooks set on the reply (security headers, rate-limit counters) still go out.
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) raw.setHeader(name, value);
  }
  raw.writeHead(200, { ...SSE_HEADERS, ...formatHeaders });

  const write = (chunk: string) => {
    if (!raw.destroyed && !raw.writableEnded) raw.write(chunk);
  };
  const uiEncoder =
    options.format === "ui" ? createUiMessageStreamEncoder({ messageId: prepared.plan.messageId }) : null;
  const encode = (event: AgentEvent): string =>
    uiEncoder ? uiEncoder.encode(event).map(encodeUiChunkAsSse).join("") : encodeSseEvent(event);

  // Comments keep proxies and load balancers from closing a connection while a model thinks.
  const heartbeat = setInterval(() => write(encodeSseComment("heartbeat")), options.heartbeatMs);
  const channel = createEventChannel<AgentEvent>();
  const run = prepared
    .execute({ signal, emit: (event) => channel.push(event) })
    .catch((error: unknown) => {
      request.log.error({ err: error }, "streamed run failed");
    })
    .finally(() => channel.close());
  try {
    for await (const event of channel) write(encode(event));
    await run;
    if (uiEncoder) {
      write(uiEncoder.finish().map(encodeUiChunkAsSse).join(""));
      write(UI_MESSAGE_STREAM_DONE);
    }
  } finally {
    clearInterval(heartbeat);
    if (!raw.writableEnded) raw.end();
  }
}
