import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { messages } from "../db/schema.ts";
import { withAccount } from "../db/tenant-scope.ts";
import { ReportNotFoundError } from "../errors/app-error.ts";

export interface StoredReport {
  message_id: string;
  conversation_id: string;
  agent_schema: string | null;
  created_at: string;
  text: string;
  report: Record<string, unknown>;
}

/** A deep-research report, kept with the answer message that delivered it. */
export async function readReport(db: Database, accountId: string, messageId: string): Promise<StoredReport> {
  const [row] = await withAccount(db, accountId, (transaction) =>
    transaction
      .select()
      .from(messages)
      .where(and(eq(messages.accountId, accountId), eq(messages.id, messageId)))
      .limit(1),
  );
  const extra = row?.metadata.extra as { report?: Record<string, unknown> } | undefined;
  if (!row || !extra?.report) throw new ReportNotFoundError(`Report "${messageId}" not found`);
  return {
    message_id: row.id,
    conversation_id: row.conversationId,
    agent_schema: row.agentSchema,
    created_at: row.createdAt.toISOString(),
    text: row.content,
    report: extra.report,
  };
}
