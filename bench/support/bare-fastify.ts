import Fastify, { type FastifyInstance } from "fastify";
import { announceServer } from "./server-announce.ts";

/** The path of the baseline's only route. */
export const BARE_ROUTE = "/status";

/**
 * The baseline for HTTP benchmarks: Fastify 5 with defaults, no plugins, no logger, and one route
 * answering a small JSON object, so a ratio against it is the price of everything Switchboard adds.
 */
export function createBareFastify(): FastifyInstance {
  const server = Fastify({ logger: false });
  server.get(BARE_ROUTE, async () => ({ status: "ok" }));
  return server;
}

// Run as a child-process entry by `startServerProcess`.
if (import.meta.main) {
  const server = createBareFastify();
  const url = await server.listen({ port: 0, host: "127.0.0.1" });
  announceServer({ url });
}
