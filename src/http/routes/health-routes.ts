import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { DatabaseHandle } from "../../db/client.ts";

export const healthRoutes: FastifyPluginAsyncZod<{ database: DatabaseHandle }> = async (server, options) => {
  server.get(
    "/healthz",
    {
      config: { rateLimit: false },
      schema: {
        tags: ["operations"],
        summary: "Liveness",
        response: { 200: z.object({ status: z.literal("ok") }) },
      },
    },
    async () => ({ status: "ok" as const }),
  );

  server.get(
    "/readyz",
    {
      config: { rateLimit: false },
      schema: {
        tags: ["operations"],
        summary: "Readiness: the database answers",
        response: {
          200: z.object({ status: z.literal("ready"), database: z.string() }),
          503: z.object({ status: z.literal("unavailable"), database: z.string() }),
        },
      },
    },
    async (_request, reply) => {
      try {
        await options.database.ping();
        return { status: "ready" as const, database: options.database.driver };
      } catch {
        return reply.status(503).send({ status: "unavailable" as const, database: options.database.driver });
      }
    },
  );
};
