import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Account } from "../../accounts/account-service.ts";
import type { ChatInput } from "../../agents/chat-service.ts";
import type { UnifiedChat } from "../../routing/unified-chat.ts";
import type { Authenticator } from "../auth.ts";
import { clientDisconnectSignal, type StreamFormat, sendEventStream } from "../event-stream-response.ts";
import { ChatBodySchema, StreamGetQuerySchema, StreamQuerySchema } from "../schemas/chat-schemas.ts";
import { AccountParamsSchema, COMMON_ERROR_RESPONSES, ErrorResponseSchema } from "../schemas/common.ts";
import {
  RouteBodySchema,
  RouteResponseSchema,
  UnifiedChatResponseSchema,
} from "../schemas/routing-schemas.ts";

export interface UnifiedChatRoutesOptions {
  unified: UnifiedChat;
  auth: Authenticator;
  defaultAccountSlug: string;
  heartbeatMs: number;
}

const ERRORS = { 409: ErrorResponseSchema, 422: ErrorResponseSchema, ...COMMON_ERROR_RESPONSES } as const;
const JSON_ERRORS = { 502: ErrorResponseSchema, 504: ErrorResponseSchema, ...ERRORS } as const;

export const unifiedChatRoutes: FastifyPluginAsyncZod<UnifiedChatRoutesOptions> = async (server, options) => {
  const { unified, auth } = options;

  async function stream(
    request: FastifyRequest,
    reply: FastifyReply,
    account: Account,
    input: ChatInput,
    format: StreamFormat,
  ) {
    const { prepared } = await unified.prepare(account, input);
    await sendEventStream(request, reply, prepared, { format, heartbeatMs: options.heartbeatMs });
  }

  /** The legacy paths still work, and say where to go instead. */
  function deprecate(reply: FastifyReply, successor: string) {
    reply.header("deprecation", "true");
    reply.header("link", `<${successor}>; rel="successor-version"`);
  }

  server.post(
    "/accounts/:account/chat",
    {
      schema: {
        tags: ["chat"],
        summary: "Chat with the account: the router picks the agent; the answer says which and why",
        params: AccountParamsSchema,
        body: ChatBodySchema,
        response: { 200: UnifiedChatResponseSchema, ...JSON_ERRORS },
      },
    },
    async (request, reply) => {
      const account = await auth.accountFor(request, request.params.account);
      return unified.respond(account, request.body, clientDisconnectSignal(reply));
    },
  );

  server.post(
    "/accounts/:account/chat/stream",
    {
      schema: {
        tags: ["chat"],
        summary: "Chat with the account, streamed: a `routing` event (and `handoff` on a switch) comes first",
        params: AccountParamsSchema,
        querystring: StreamQuerySchema,
        body: ChatBodySchema,
        response: ERRORS,
      },
    },
    async (request, reply) => {
      const account = await auth.accountFor(request, request.params.account);
      await stream(request, reply, account, request.body, request.query.format);
    },
  );

  server.post(
    "/accounts/:account/route",
    {
      schema: {
        tags: ["chat"],
        summary: "The router's decision for a message, without running an agent",
        params: AccountParamsSchema,
        body: RouteBodySchema,
        response: { 200: RouteResponseSchema, ...ERRORS },
      },
    },
    async (request) => {
      const account = await auth.accountFor(request, request.params.account);
      const { decision } = await unified.decide(account, request.body);
      return {
        type: decision.agent_type,
        instance: decision.instance,
        confidence: decision.confidence,
        stage: decision.stage,
        alternatives: decision.alternatives.map((alternative) => ({
          type: alternative.agent_type,
          instance: alternative.instance,
          confidence: alternative.confidence,
        })),
        ms: decision.ms,
        reason: decision.reason,
        fallback: decision.fallback,
        handoff: decision.handoff,
      };
    },
  );

  server.post(
    "/chat",
    {
      schema: {
        tags: ["legacy"],
        summary: "Deprecated: the default account's unified chat (use POST /accounts/{account}/chat)",
        body: ChatBodySchema,
        response: { 200: UnifiedChatResponseSchema, ...JSON_ERRORS },
      },
    },
    async (request, reply) => {
      const account = await auth.accountFor(request, options.defaultAccountSlug);
      deprecate(reply, `/accounts/${account.slug}/chat`);
      return unified.respond(account, request.body, clientDisconnectSignal(reply));
    },
  );

  server.get(
    "/events/stream",
    {
      schema: {
        tags: ["legacy"],
        summary: "Deprecated: the default account's unified chat as an EventSource stream",
        querystring: StreamGetQuerySchema,
        response: ERRORS,
      },
    },
    async (request, reply) => {
      const account = await auth.accountFor(request, options.defaultAccountSlug);
      deprecate(reply, `/accounts/${account.slug}/chat/stream`);
      const { format, is_eval, ...input } = request.query;
      await stream(request, reply, account, { ...input, is_eval: is_eval === "true" }, format);
    },
  );
};
