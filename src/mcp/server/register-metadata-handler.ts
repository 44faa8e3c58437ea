import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Account } from "../../accounts/account-service.ts";
import { RegisterMetadataInputSchema } from "../../agents/tools/register-metadata-tool.ts";
import type { Database } from "../../db/client.ts";
import { conversations } from "../../db/schema.ts";
import { withAccount } from "../../db/tenant-scope.ts";
import { ConversationNotFoundError } from "../../errors/app-error.ts";
import { toolResult } from "./tool-results.ts";

export const McpRegisterMetadataInputSchema = RegisterMetadataInputSchema.extend({
  conversation_id: z
    .uuid()
    .optional()
    .describe("The conversation to record it on (ask_agent returns one); a new one when omitted"),
});
export type McpRegisterMetadataInput = z.infer<typeof McpRegisterMetadataInputSchema>;

/**
 * register_metadata for an MCP client: the client's confidence, sources and fields, recorded on a
 * conversation of the account under `mcp_metadata` — the same merge rules as the agent tool.
 */
export async function registerMetadataForMcp(
  db: Database,
  account: Account,
  input: McpRegisterMetadataInput,
): Promise<CallToolResult> {
  const conversationId = await withAccount(db, account.id, async (transaction) => {
    let id = input.conversation_id;
    if (id === undefined) {
      const [created] = await transaction
        .insert(conversations)
        .values({ accountId: account.id, title: "MCP metadata" })
        .returning({ id: conversations.id });
      if (!created) throw new Error("conversation insert returned no row");
      id = created.id;
    }
    const [found] = await transaction
      .select({ metadata: conversations.metadata })
      .from(conversations)
      .where(and(eq(conversations.accountId, account.id), eq(conversations.id, id)))
      .for("update");
    if (!found) throw new ConversationNotFoundError(`Conversation "${id}" not found`);
    const recorded = { ...(found.metadata.mcp_metadata as Record<string, unknown> | undefined) };
    if (input.confidence !== undefined) recorded.confidence = input.confidence;
    if (input.sources) recorded.sources = input.sources;
    if (input.fields) recorded.fields = { ...(recorded.fields as object | undefined), ...input.fields };
    recorded.agent_schema = input.agent_schema ?? "mcp/client";
    await transaction
      .update(conversations)
      .set({ metadata: { ...found.metadata, mcp_metadata: recorded }, updatedAt: new Date() })
      .where(and(eq(conversations.accountId, account.id), eq(conversations.id, id)));
    return id;
  });
  return toolResult({ status: "recorded", conversation_id: conversationId });
}
