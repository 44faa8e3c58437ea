import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * A local server speaking the OpenAI Chat Completions wire format (JSON and SSE chunks), so the
 * real provider code — request building, SSE parsing, tool-call assembly, error mapping — runs in
 * tests without a network. Each request consumes the next scripted reply.
 */

export interface WireUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

export interface WireToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

export type WireReply =
  | { kind: "text"; text: string; chunkSize?: number; delayMs?: number; usage?: WireUsage }
  | { kind: "tool-calls"; calls: WireToolCall[]; usage?: WireUsage }
  | { kind: "error"; status: 429 | 500 | 400 | 401; message?: string }
  | { kind: "stall" };

/** The parts of a Chat Completions request the tests look at; anything else is kept as sent. */
export interface WireRequestBody {
  model?: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  messages?: Array<{ role: string; content?: unknown; tool_calls?: unknown[]; tool_call_id?: string }>;
  tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: unknown } }>;
  [key: string]: unknown;
}

export type RequestOutcome = "completed" | "aborted";

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: WireRequestBody;
  /** "aborted": the connection closed before the reply was complete (a client abort or timeout, or close()). */
  outcome: Promise<RequestOutcome>;
}

export interface OpenAiWireServer {
  /** Ends in `/v1`, ready for a provider's `baseURL`. */
  baseUrl: string;
  requests: ReceivedRequest[];
  enqueue(reply: WireReply): void;
  /** Sockets still open right now; 0 after a clean close. */
  openSockets(): number;
  close(): Promise<void>;
}

const MODEL_FALLBACK = "wire-test-model";

export async function startOpenAiWireServer(): Promise<OpenAiWireServer> {
  const queue: WireReply[] = [];
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  let responseCounter = 0;

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url ?? "/";
      let body: WireRequestBody;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as WireRequestBody;
      } catch {
        sendError(response, 400, "The request body is not valid JSON.");
        return;
      }
      const outcome = new Promise<RequestOutcome>((resolve) => {
        response.on("close", () => resolve(response.writableFinished ? "completed" : "aborted"));
      });
      requests.push({ method: request.method ?? "GET", path, headers: request.headers, body, outcome });

      if (request.method !== "POST" || path !== "/v1/chat/completions") {
        sendError(response, 404, `No route for ${request.method} ${path} on the wire test server.`);
        return;
      }
      const reply = queue.shift();
      if (reply === undefined) {
        sendError(
          response,
          500,
          "Wire test server: no reply enqueued for this request (call enqueue first).",
        );
        return;
      }
      responseCounter += 1;
      const context: ReplyContext = {
        id: `chatcmpl-wire${responseCounter}`,
        model: body.model ?? MODEL_FALLBACK,
      };
      const closed = new AbortController();
      response.on("close", () => closed.abort());
      respond(response, reply, body, context, closed.signal).catch(() => {
        // The connection went away during a delay; there is no one left to answer.
        response.destroy();
      });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (reply) => queue.push(reply),
    openSockets: () => sockets.size,
    async close() {
      // Stalled streams and idle keep-alive connections would otherwise hold close() open forever.
      const socketsClosed = [...sockets].map((socket) => once(socket, "close"));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      await Promise.all(socketsClosed);
    },
  };
}

interface ReplyContext {
  id: string;
  model: string;
}

async function respond(
  response: ServerResponse,
  reply: WireReply,
  body: WireRequestBody,
  context: ReplyContext,
  signal: AbortSignal,
): Promise<void> {
  if (reply.kind === "error") {
    sendError(response, reply.status, reply.message);
    return;
  }
  if (body.stream !== true) {
    if (reply.kind === "stall") {
      // Headers go out, the body never does: the client sees a request that hangs.
      response.writeHead(200, { "content-type": "application/json" });
      response.flushHeaders();
      return;
    }
    sendJson(response, 200, completionBody(reply, body, context));
    return;
  }

  response.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  const includeUsage = body.stream_options?.include_usage === true;
  const send = (payload: object) => response.write(`data: ${JSON.stringify(payload)}\n\n`);
  const chunk = (delta: object, finishReason: string | null = null) =>
    send({
      id: context.id,
      object: "chat.completion.chunk",
      created: CREATED,
      model: context.model,
      system_fingerprint: "fp_wire",
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(includeUsage && { usage: null }),
    });

  chunk({ role: "assistant", content: "" });
  if (reply.kind === "stall") return;

  let completionTokens: number;
  if (reply.kind === "text") {
    const pieces = splitText(reply.text, reply.chunkSize ?? 4);
    for (const piece of pieces) {
      if (reply.delayMs !== undefined && reply.delayMs > 0) await sleep(reply.delayMs, undefined, { signal });
      chunk({ content: piece });
    }
    chunk({}, "stop");
    completionTokens = pieces.length;
  } else {
    reply.calls.forEach((call, index) => {
      const callId = toolCallId(context, index);
      chunk({
        tool_calls: [{ index, id: callId, type: "function", function: { name: call.name, arguments: "" } }],
      });
      for (const fragment of splitArguments(JSON.stringify(call.arguments))) {
        chunk({ tool_calls: [{ index, function: { arguments: fragment } }] });
      }
    });
    chunk({}, "tool_calls");
    completionTokens = reply.calls.length * 8;
  }
  if (includeUsage) {
    send({
      id: context.id,
      object: "chat.completion.chunk",
      created: CREATED,
      model: context.model,
      system_fingerprint: "fp_wire",
      choices: [],
      usage: usageBody(
        reply.usage ?? { prompt_tokens: promptTokens(body), completion_tokens: completionTokens },
      ),
    });
  }
  response.end("data: [DONE]\n\n");
}

const CREATED = 1_700_000_000;

function completionBody(
  reply: Extract<WireReply, { kind: "text" | "tool-calls" }>,
  body: WireRequestBody,
  context: ReplyContext,
): object {
  const message =
    reply.kind === "text"
      ? { role: "assistant", content: reply.text, refusal: null }
      : {
          role: "assistant",
          content: null,
          refusal: null,
          tool_calls: reply.calls.map((call, index) => ({
            id: toolCallId(context, index),
            type: "function",
            function: { name: call.name, arguments: JSON.stringify(call.arguments) },
          })),
        };
  const completionTokens =
    reply.kind === "text" ? splitText(reply.text, 4).length : Math.max(1, reply.calls.length * 8);
  return {
    id: context.id,
    object: "chat.completion",
    created: CREATED,
    model: context.model,
    system_fingerprint: "fp_wire",
    choices: [
      { index: 0, message, logprobs: null, finish_reason: reply.kind === "text" ? "stop" : "tool_calls" },
    ],
    usage: usageBody(
      reply.usage ?? { prompt_tokens: promptTokens(body), completion_tokens: completionTokens },
    ),
  };
}

const ERROR_TYPES: Record<number, { type: string; code: string | null }> = {
  400: { type: "invalid_request_error", code: null },
  401: { type: "invalid_request_error", code: "invalid_api_key" },
  404: { type: "invalid_request_error", code: "unknown_url" },
  429: { type: "requests", code: "rate_limit_exceeded" },
  500: { type: "server_error", code: null },
};

function sendError(response: ServerResponse, status: number, message?: string): void {
  const kind = ERROR_TYPES[status] ?? { type: "server_error", code: null };
  const headers: Record<string, string> = status === 429 ? { "retry-after": "1" } : {};
  sendJson(
    response,
    status,
    {
      error: {
        message: message ?? `Wire test server error ${status}`,
        type: kind.type,
        param: null,
        code: kind.code,
      },
    },
    headers,
  );
}

function sendJson(
  response: ServerResponse,
  status: number,
  payload: object,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(payload);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

function usageBody(usage: WireUsage): object {
  return { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens };
}

function toolCallId(context: ReplyContext, index: number): string {
  return `call_${context.id.slice(-6)}_${index}`;
}

/** Word-ish pieces of at most `size` characters, so a stream has several deltas. */
function splitText(text: string, size: number): string[] {
  const pieceSize = Math.max(1, Math.floor(size));
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += pieceSize)
    pieces.push(text.slice(start, start + pieceSize));
  return pieces;
}

/** Real APIs cut tool arguments anywhere, even inside a string; at least two fragments always. */
function splitArguments(json: string): string[] {
  const middle = Math.max(1, Math.floor(json.length / 2));
  const quarter = Math.max(1, Math.floor(middle / 2));
  return [json.slice(0, quarter), json.slice(quarter, middle), json.slice(middle)].filter(
    (part) => part !== "",
  );
}

function promptTokens(body: WireRequestBody): number {
  let words = 0;
  for (const message of body.messages ?? []) {
    if (typeof message.content === "string") words += message.content.split(/\s+/).filter(Boolean).length;
  }
  return words;
}
