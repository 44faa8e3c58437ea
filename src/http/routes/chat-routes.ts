import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { z } from "zod";
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
  "Server-sent events: start, text_delta, tool_call, tool_result, progress, metadata, agent_event, error, " +
  "done (each frame has `id: <seq>`). `?format=ui` streams the AI SDK UI message stream instead.";

/** One way of naming the agent to chat with; each gets the same JSON, stream and EventSource routes. */
interface AddressForm<Params extends z.ZodType> {
  /** The JSON path; DESIGN §5 fixes each one, so they are spelled out rather than derived. */
  chatPath: string;
  streamPath: string;
  params: Params;
  what: string;
  locate(
    request: FastifyRequest,
    params: z.infer<Params>,
  ): Promise<{ account: Account; address: AgentAddress }>;
}

export const chatRoutes: FastifyPluginAsyncZod<ChatRoutesOptions> = async (server, options) => {
  const { chat, auth } = options;

  function register<Params extends z.ZodType>(form: AddressForm<Params>) {
    async function stream(
      request: FastifyRequest,
      reply: FastifyReply,
      input: ChatInput,
      format: StreamFormat,
    ) {
      const { account, address } = await form.locate(request, request.params as z.infer<Params>);
      const prepared = await chat.prepare(account, address, input);
      await sendEventStream(request, reply, prepared, { format, heartbeatMs: options.heartbeatMs });
    }

    server.post(
      form.chatPath,
      {
        schema: {
          tags: ["chat"],
          summary: `Chat with ${form.what} (JSON)`,
          params: form.params,
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
        const { account, address } = await form.locate(request, request.params as z.infer<Params>);
        return chat.chat(
          account,
          address,
          request.body as z.infer<typeof ChatBodySchema>,
          clientDisconnectSignal(reply),
        );
      },
    );

    server.post(
      form.streamPath,
      {
        schema: {
          tags: ["chat"],
          summary: `Chat with ${form.what}, streamed`,
          description: STREAM_DESCRIPTION,
          params: form.params,
          querystring: StreamQuerySchema,
          body: ChatBodySchema,
          response: CHAT_ERRORS,
        },
      },
      async (request, reply) => {
        const query = request.query as z.infer<typeof StreamQuerySchema>;
        await stream(request, reply, request.body as z.infer<typeof ChatBodySchema>, query.format);
      },
    );

    server.get(
      form.streamPath,
      {
        schema: {
          tags: ["chat"],
          summary: `Chat with ${form.what}, streamed (EventSource form: the body's fields in the query)`,
          description: STREAM_DESCRIPTION,
          params: form.params,
          querystring: StreamGetQuerySchema,
          response: CHAT_ERRORS,
        },
      },
      async (request, reply) => {
        const { format, is_eval, ...input } = request.query as z.infer<typeof StreamGetQuerySchema>;
        await stream(request, reply, { ...input, is_eval: is_eval === "true" }, format);
      },
    );
  }

  register({
    chatPath: "/accounts/:account/agents/:agent/chat",
    streamPath: "/accounts/:account/agents/:agent/stream",
    params: AgentParamsSchema,
    what: "one agent instance",
    locate: async (request, params) => ({
      account: await auth.accountFor(request, params.account),
      address: { slug: params.agent },
    }),
  });
  register({
    chatPath: "/accounts/:account/chat/:type/:instance",
    streamPath: "/accounts/:account/chat/:type/:instance/stream",
    params: ExplicitAgentParamsSchema,
    what: "an instance addressed by type and slug",
    locate: async (request, params) => ({
      account: await auth.accountFor(request, params.account),
      address: { slug: params.instance, type: params.type },
    }),
  });
  register({
    chatPath: "/agents/:agent/chat",
    streamPath: "/agents/:agent/stream",
    params: DefaultAccountAgentParamsSchema,
    what: "an agent of the default account (phase-1 path)",
    locate: async (request, params) => ({
      account: await auth.accountFor(request, options.defaultAccountSlug),
      address: { slug: params.agent },
    }),
  });
};
