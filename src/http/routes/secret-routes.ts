import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { SecretStore, SecretSummary } from "../../secrets/secret-store.ts";
import type { Authenticator } from "../auth.ts";
import { AccountParamsSchema, COMMON_ERROR_RESPONSES, ErrorResponseSchema } from "../schemas/common.ts";
import {
  PutSecretBodySchema,
  SecretListSchema,
  SecretParamsSchema,
  SecretSummarySchema,
} from "../schemas/secret-schemas.ts";

export interface SecretRoutesOptions {
  secrets: SecretStore;
  auth: Authenticator;
}

function view(secret: SecretSummary) {
  return {
    name: secret.name,
    created_at: secret.createdAt.toISOString(),
    updated_at: secret.updatedAt.toISOString(),
  };
}

/** Write-only secrets: values go in and are used by the server (MCP tokens), never come back out. */
export const secretRoutes: FastifyPluginAsyncZod<SecretRoutesOptions> = async (server, options) => {
  const { secrets, auth } = options;

  server.put(
    "/accounts/:account/secrets/:name",
    {
      schema: {
        tags: ["secrets"],
        summary: "Store or replace a secret (write-only)",
        description: "Encrypted at rest (AES-256-GCM). Needs SWITCHBOARD_SECRETS_KEY on the server.",
        params: SecretParamsSchema,
        body: PutSecretBodySchema,
        response: {
          200: SecretSummarySchema,
          201: SecretSummarySchema,
          503: ErrorResponseSchema,
          ...COMMON_ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const account = await auth.accountFor(request, request.params.account);
      const { secret, created } = await secrets.put(account.id, request.params.name, request.body.value);
      request.log.info(
        { account: account.slug, secret: secret.name },
        created ? "secret stored" : "secret replaced",
      );
      return reply.status(created ? 201 : 200).send(view(secret));
    },
  );

  server.get(
    "/accounts/:account/secrets",
    {
      schema: {
        tags: ["secrets"],
        summary: "The account's secrets: names and dates only",
        params: AccountParamsSchema,
        response: { 200: SecretListSchema, ...COMMON_ERROR_RESPONSES },
      },
    },
    async (request) => {
      const account = await auth.accountFor(request, request.params.account);
      return { secrets: (await secrets.list(account.id)).map(view) };
    },
  );

  server.delete(
    "/accounts/:account/secrets/:name",
    {
      schema: {
        tags: ["secrets"],
        summary: "Delete a secret",
        params: SecretParamsSchema,
        response: { 204: z.null().describe("Deleted"), ...COMMON_ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const account = await auth.accountFor(request, request.params.account);
      await secrets.remove(account.id, request.params.name);
      request.log.info({ account: account.slug, secret: request.params.name }, "secret deleted");
      return reply.status(204).send(null);
    },
  );
};
