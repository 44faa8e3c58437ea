import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { Agent, buildConnector, fetch as undiciFetch } from "undici";
import { defaultPort, isAllowListed, isBlockedAddress, unbracket } from "../address-policy.ts";

export type ResolvedAddress = { address: string; family: number };
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

/** Refused before any byte left this server: the address is one tenants may not reach. */
export class BlockedAddressError extends Error {
  override readonly name = "BlockedAddressError";
}

/** The response was larger than an external server may send. */
export class ResponseTooLargeError extends Error {
  override readonly name = "ResponseTooLargeError";
}

export interface GuardedFetchOptions {
  allowedHosts: readonly string[];
  /** DNS resolution; injectable so tests can play a rebinding resolver. */
  resolve?: Resolve;
  connectTimeoutMs?: number;
  maxResponseBytes?: number;
}

const systemResolve: Resolve = (hostname) => lookup(hostname, { all: true, verbatim: true });

/**
 * A connection pool whose every connection — the first request, each redirect, each reconnect —
 * resolves the host itself, checks every address, and connects to the address it checked, so a
 * DNS answer that changes between check and connect (rebinding) cannot slip through.
 */
export function createGuardedAgent(options: GuardedFetchOptions): Agent {
  const resolve = options.resolve ?? systemResolve;
  const base = buildConnector({ timeout: options.connectTimeoutMs ?? 10_000 });

  async function checkedAddress(hostname: string, protocol: string, port: string): Promise<string> {
    const host = unbracket(hostname);
    const allowListed = isAllowListed(options.allowedHosts, hostname, port || defaultPort(protocol));
    const addresses = isIP(host) !== 0 ? [{ address: host, family: isIP(host) }] : await resolve(host);
    const first = addresses[0];
    if (!first) throw new Error(`${host} did not resolve to any address`);
    if (!allowListed) {
      const refused = addresses.find((candidate) => isBlockedAddress(candidate.address));
      if (refused) {
        throw new BlockedAddressError(
          `${host} resolves to ${refused.address}, a private, loopback or link-local address`,
        );
      }
    }
    return first.address;
  }

  const connect: buildConnector.connector = (connectOptions, callback) => {
    const { hostname, protocol, port } = connectOptions;
    checkedAddress(hostname, protocol, port).then(
      (address) => {
        const servername = connectOptions.servername ?? (isIP(unbracket(hostname)) ? undefined : hostname);
        base({ ...connectOptions, hostname: address, ...(servername ? { servername } : {}) }, callback);
      },
      (error: Error) => callback(error, null),
    );
  };
  return new Agent({ connect, connections: 64 });
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** Counts bytes as they stream and fails the body once it passes the limit. */
function capped(body: ReadableStream<Uint8Array>, maxBytes: number): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBytes) {
          controller.error(new ResponseTooLargeError(`The response is larger than ${maxBytes} bytes`));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
}

/** `fetch` through the guarded pool, for http(s) only, with every response body size-capped. */
export function createGuardedFetch(agent: Agent, maxResponseBytes = 8 * 1024 * 1024): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new BlockedAddressError(`Only http(s) URLs may be fetched, not ${url.protocol}`);
    }
    const { body, headers, method, redirect, signal } = init ?? {};
    // MCP messages are JSON text; nothing else is ever sent to an external server.
    if (body !== undefined && body !== null && typeof body !== "string") {
      throw new TypeError("Only text bodies are sent to external MCP servers");
    }
    const response = await undiciFetch(url, {
      dispatcher: agent,
      method: method ?? "GET",
      headers: Object.fromEntries(new Headers(headers)),
      body: body ?? null,
      redirect: redirect ?? "follow",
      signal: signal ?? null,
    });
    const stream = response.body as ReadableStream<Uint8Array> | null;
    return new Response(
      NULL_BODY_STATUSES.has(response.status) || !stream ? null : capped(stream, maxResponseBytes),
      {
        status: response.status,
        statusText: response.statusText,
        headers: new Headers([...response.headers]),
      },
    );
  };
}
