import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import type { Metrics } from "../../observability/metrics.ts";

/** Counts every answered request by its route template, and serves the Prometheus text format. */
export const metricsRoutes: FastifyPluginAsync<{ metrics: Metrics }> = async (server, options) => {
  const { metrics } = options;
  server.get(
    "/metrics",
    { config: { rateLimit: false }, schema: { hide: true } },
    async (_request, reply) => {
      reply.header("content-type", metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
};

/** Registered on the root instance so it sees every route, streams included. */
export function recordRequestMetrics(server: FastifyInstance, metrics: Metrics): void {
  server.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    metrics.recordRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1_000);
  });
}
