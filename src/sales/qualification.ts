import { sql } from "drizzle-orm";
import { runAccountBatch } from "../db/account-batch.ts";
import type { DatabaseHandle } from "../db/client.ts";

/** Where a run's answer records the qualification questions it asked (metadata.extra). */
export const QUALIFICATION_FIELD = "qualification_asked";

const ASKS_FOR_QUOTE = /\b(?:quotes?|quotation|proposal|estimate)\b/iu;

/** A quote is on the table: the answer quoted a catalog price, or the customer asked for one. */
export function wantsQualification(options: { quotedCatalogPrice: boolean; userMessage: string }): boolean {
  return options.quotedCatalogPrice || ASKS_FOR_QUOTE.test(options.userMessage);
}

export function pendingQuestions(questions: readonly string[], asked: ReadonlySet<string>): string[] {
  return questions.filter((question) => !asked.has(question));
}

export function qualificationText(questions: readonly string[]): string {
  const [only] = questions;
  if (questions.length === 1 && only !== undefined) return `Before I prepare a quote: ${only}`;
  return `Before I prepare a quote:\n${questions.map((question, index) => `${index + 1}. ${question}`).join("\n")}`;
}

export type AskedQuestions = (accountId: string, conversationId: string) => Promise<Set<string>>;

/**
 * The qualification questions earlier answers of the conversation already asked, read from their
 * stored metadata: each is asked once per conversation, whichever turn quoted first.
 */
export function createAskedQuestions(database: DatabaseHandle): AskedQuestions {
  return async (accountId, conversationId) => {
    const [rows] = await runAccountBatch(database, accountId, [
      sql`
        select distinct jsonb_array_elements_text(metadata -> 'extra' -> ${QUALIFICATION_FIELD}) as question
        from messages
        where account_id = ${accountId} and conversation_id = ${conversationId} and role = 'assistant'
          and jsonb_typeof(metadata -> 'extra' -> ${QUALIFICATION_FIELD}) = 'array'`,
    ]);
    return new Set((rows ?? []).map((row) => String(row.question)));
  };
}
