import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Account } from "../../accounts/account-service.ts";
import type { AgentAddress, ChatInput, ChatService } from "../../agents/chat-service.ts";
import type { Authenticator } from "../auth.ts";
import { clientDisconnectSignal, type StreamFormat, sendEventStream } from "../event-stream-response.ts";
import {
  ChatBodySchema,
  ChatResponseSchema,
  DefaultAccountAgentParamsSchema,
  ExplicitAgentParamsSchema,
  StreamGetQuerySchema,
  StreamQuerySchema,
} from "../schemas/chat-schemas.ts";
import { AgentParamsSchema, COMMON_ERROR_RESPONSES, ErrorResponseSchema } from "../schemas/common.ts";

export interface ChatRoutesOptions {
  chat: ChatService;
  auth: Authenticator;
  defaultAccountSlug: string;
  heartbeatMs: number;
}

const CHAT_ERRORS = {
  409: ErrorResponseSchema,
  422: ErrorResponseSchema,
  ...COMMON_ERROR_RESPONSES,
} as const;
const STREAM_DESCRIPTION =
  "Server-sent events: start, text_delta, tool_call, tool_result, progress, metadata, error, done " +
  "(each frame has `id: <seq>`). `?format=ui` streams the AI SDK UI message stream instead.";

export const chatRoutes: FastifyPluginAsyncZod<ChatRoutesOptions> = async (server, options) => {
  const { chat, auth } = options;

  async function answer(reply: FastifyReply, account: Account, address: AgentAddress, input: ChatInput) {
    return chat.chat(account, address, input, clientDisconnectSignal(reply));
  }

  async function stream(
    request: FastifyRequest,
    reply: FastifyReply,
    account: Account,
    address: AgentAddress,
    input: ChatInput,
    format: StreamFormat,
  ) {
    const prepared = await chat.prepare(account, address, input);
    await sendEventStream(request, reply, prepared, { format, heartbeatMs: options.heartbeatMs });
  }

  const defaultAccount = (request: FastifyRequest) => auth.accountFor(request, options.defaultAccountSlug);

  server.post(
    "/accounts/:account/agents/:agent/chat",
    {
      schema: {
        tags: ["chat"],
        summary: "Chat with one agent instance (JSON)",
        params: AgentParamsSchema,
        body: ChatBodySchema,
        response: {
          200: ChatResponseSchema,
          502: ErrorResponseSchema,
          504: ErrorResponseSchema,
          ...CHAT_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const account = await auth.accountFor(request, request.params.account);
      return answer(reply, account, { slug: request.params.agent }, request.body);
    },
  );

  server.post(
    "/accounts/:account/agents/:agent/stream",
    {
      schema: {
        tags: ["chat"],
        summary: "Chat with one agent instance, streamed",
        description: STREAM_DESCRIPTION,
        params: AgentParamsSchema,
        querystring: StreamQuerySchema,
        body: ChatBodySchema,
        response: CHAT_ERRORS,
      },
    },
    async (request, reply) => {
      const account = await auth.accountFor(request, request.params.account);
      await stream(
        request,
        reply,
        account,
        { slug: request.params.agent },
        request.body,
        request.query.format,
      );
    },
  );

  server.get(
    "/accounts/:account/agents/:agent/stream",
    {
      schema: {
        tags: ["chat"],
        summary: "Chat with one agent instance, streamed (EventSource form)",
        description: STREAM_DESCRIPTION,
        params: AgentParamsSchema,
        querystring: StreamGetQuerySchema,
        response: CHAT_ERRORS,
      },
    },
    async (request, reply) => {
      const account = await auth.accountFor(request, request.params.account);
      const { format, is_eval, ...input } = request.query;
      await stream(
        request,
        reply,
        account,
        { slug: request.params.agent },
        { ...input, is_eval: is_eval === "true" },
        format,
      );
    },
  );

  server.post(
    "/accounts/:account/chat/:type/:instance",
    {
      schema: {
        tags: ["chat"],
        summary: "Chat with an instance addressed by type and slug (JSON)",
        params: ExplicitAgentParamsSchema,
        body: ChatBodySchema,
        response: {
          200: ChatResponseSchema,
          502: ErrorResponseSchema,
          504: ErrorResponseSchema,
          ...CHAT_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const account = await auth.accountFor(request, request.params.account);
      const address = { slug: request.params.instance, type: request.params.type };
      return answer(reply, account, address, request.body);
    },
  );

  server.post(
    "/accounts/:account/chat/:type/:instance/stream",
    {
      schema: {
        tags: ["chat"],
        summary: "Chat with an instance addressed by type and slug, streamed",
        description: STREAM_DESCRIPTION,
        params: ExplicitAgentParamsSchema,
        querystring: StreamQuerySchema,
        body: ChatBodySchema,
        response: CHAT_ERRORS,
      },
    },
    async (request, reply) => {
      const account = await auth.accountFor(request, request.params.account);
      const address = { slug: request.params.instance, type: request.params.type };
      await stream(request, reply, account, address, request.body, request.query.format);
    },
  );

  server.post(
    "/agents/:agent/chat",
    {
      schema: {
        tags: ["chat"],
        summary: "Phase-1 path: chat with an agent of the default account (JSON)",
        params: DefaultAccountAgentParamsSchema,
        body: ChatBodySchema,
        response: {
          200: ChatResponseSchema,
          502: ErrorResponseSchema,
          504: ErrorResponseSchema,
          ...CHAT_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const account = await defaultAccount(request);
      return answer(reply, account, { slug: request.params.agent }, request.body);
    },
  );

  server.post(
    "/agents/:agent/stream",
    {
      schema: {
        tags: ["chat"],
        summary: "Phase-1 path: chat with an agent of the default account, streamed",
        description: STREAM_DESCRIPTION,
        params: DefaultAccountAgentParamsSchema,
        querystring: StreamQuerySchema,
        body: ChatBodySchema,
        response: CHAT_ERRORS,
      },
    },
    async (request, reply) => {
      const account = await defaultAccount(request);
      await stream(
        request,
        reply,
        account,
        { slug: request.params.agent },
        request.body,
        request.query.format,
      );
    },
  );
};
