import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { readConversationTree } from "../../conversations/conversation-tree.ts";
import { readReport } from "../../conversations/report-reader.ts";
import type { Database } from "../../db/client.ts";
import type { Authenticator } from "../auth.ts";
import { AccountParamsSchema, COMMON_ERROR_RESPONSES } from "../schemas/common.ts";
import { ConversationTreeSchema } from "../schemas/conversation-schemas.ts";

const ConversationParamsSchema = AccountParamsSchema.extend({ conversation: z.uuid() }).strict();
const ReportParamsSchema = AccountParamsSchema.extend({ report: z.uuid() }).strict();

const StoredReportSchema = z.object({
  message_id: z.uuid(),
  conversation_id: z.uuid(),
  agent_schema: z.string().nullable(),
  created_at: z.string(),
  text: z.string(),
  report: z.record(z.string(), z.unknown()),
});

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

  server.get(
    "/accounts/:account/reports/:report",
    {
      schema: {
        tags: ["conversations"],
        summary: "A deep-research report: summary, sections, sources and gaps, with the rendered text",
        params: ReportParamsSchema,
        response: { 200: StoredReportSchema, ...COMMON_ERROR_RESPONSES },
      },
    },
    async (request) => {
      const account = await options.auth.accountFor(request, request.params.account);
      return readReport(options.db, account.id, request.params.report);
    },
  );
};
