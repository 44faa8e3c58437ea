import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AccountService } from "../../accounts/account-service.ts";
import type { KnowledgeService } from "../../knowledge/knowledge-service.ts";
import type { Authenticator } from "../auth.ts";
import {
  AccountDetailSchema,
  AccountSchema,
  CreateAccountBodySchema,
  CreatedAccountSchema,
} from "../schemas/account-schemas.ts";
import { AccountParamsSchema, COMMON_ERROR_RESPONSES, ErrorResponseSchema } from "../schemas/common.ts";
import { ChangeTierBodySchema, MigrationReportSchema } from "../schemas/knowledge-schemas.ts";

export interface AccountRoutesOptions {
  accounts: AccountService;
  auth: Authenticator;
  knowledge: KnowledgeService;
}

export const accountRoutes: FastifyPluginAsyncZod<AccountRoutesOptions> = async (server, options) => {
  const { accounts, auth, knowledge } = options;

  server.post(
    "/accounts",
    {
      schema: {
        tags: ["accounts"],
        summary: "Create an account (admin key) and its first API key",
        body: CreateAccountBodySchema,
        response: { 201: CreatedAccountSchema, 409: ErrorResponseSchema, ...COMMON_ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      auth.requireAdmin(request);
      const created = await accounts.create(request.body);
      request.log.info({ account: created.account.slug, tier: created.account.tier }, "account created");
      return reply.status(201).send(created);
    },
  );

  server.get(
    "/accounts",
    {
      schema: {
        tags: ["accounts"],
        summary: "List accounts (admin key)",
        response: { 200: z.object({ accounts: z.array(AccountSchema) }), ...COMMON_ERROR_RESPONSES },
      },
    },
    async (request) => {
      auth.requireAdmin(request);
      return { accounts: await accounts.list() };
    },
  );

  server.get(
    "/accounts/:account",
    {
      schema: {
        tags: ["accounts"],
        summary: "The account, its tier limits and usage",
        params: AccountParamsSchema,
        response: { 200: AccountDetailSchema, ...COMMON_ERROR_RESPONSES },
      },
    },
    async (request) => {
      const account = await auth.accountFor(request, request.params.account);
      return { ...account, limits: accounts.limitsOf(account), usage: await accounts.getUsage(account.id) };
    },
  );

  server.patch(
    "/accounts/:account",
    {
      schema: {
        tags: ["accounts"],
        summary: "Change an account's tier (admin key); moves its knowledge to the new tier's vector backend",
        description:
          "Documents are copied to the new backend, switched, then removed from the old one, one at a " +
          "time, so none is ever missing. Progress is kept in the database: after a failure (502 " +
          "KNOWLEDGE_MIGRATION_FAILED) the same request resumes. GET /accounts/{account}/knowledge/migration " +
          "shows progress while it runs.",
        params: AccountParamsSchema,
        body: ChangeTierBodySchema,
        response: {
          200: AccountSchema.extend({ knowledge_migration: MigrationReportSchema }),
          409: ErrorResponseSchema,
          502: ErrorResponseSchema,
          ...COMMON_ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      auth.requireAdmin(request);
      const account = await accounts.getBySlug(request.params.account);
      const change = await knowledge.changeTier(account, request.body.tier);
      request.log.info(
        {
          account: account.slug,
          from: account.tier,
          to: change.account.tier,
          moved: change.migration.documents_moved,
        },
        "account tier changed",
      );
      return { ...change.account, knowledge_migration: change.migration };
    },
  );
};
