import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { readConversationTree } from "../../conversations/conversation-tree.ts";
import type { Database } from "../../db/client.ts";
import type { Authenticator } from "../auth.ts";
import { AccountParamsSchema, COMMON_ERROR_RESPONSES } from "../schemas/common.ts";
import { ConversationTreeSchema } from "../schemas/conversation-schemas.ts";

const ConversationParamsSchema = AccountParamsSchema.extend({ conversation: z.uuid() }).strict();

export const conversationRoutes: FastifyPluginAsyncZod<{ db: Database; auth: Authenticator }> = async (
  server,
  options,
) => {
  server.get(
    "/accounts/:account/conversations/:conversation",
    {
      schema: {
        tags: ["conversations"],
        summary:
          "A conversation with its messages, child agent runs nested under the message that asked them",
        params: ConversationParamsSchema,
        response: { 200: ConversationTreeSchema, ...COMMON_ERROR_RESPONSES },
      },
    },
    async (request) => {
      const account = await options.auth.accountFor(request, request.params.account);
      return readConversationTree(options.db, account.id, request.params.conversation);
    },
  );
};
