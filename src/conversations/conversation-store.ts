import { type SQL, sql } from "drizzle-orm";
import { runAccountBatch } from "../db/account-batch.ts";
import type { DatabaseHandle } from "../db/client.ts";
import { ConversationNotFoundError } from "../errors/app-error.ts";

export interface HistoryMessage {
  role: "user" | "assistant";
  content: string;
}

export interface RecentMessage {
  role: "user" | "assistant" | "system";
  content: string;
  /** `type/slug` of the instance that wrote an assistant message. */
  agentSchema: string | null;
}

export interface StartedTurn {
  conversationId: string;
  userMessageId: string;
  /** Earlier turns of the conversation, oldest first, without the message just stored. */
  history: HistoryMessage[];
}

export interface FinishedRun {
  /** Chosen when the run starts, so its events can name the message before it is stored. */
  messageId: string;
  conversationId: string;
  instanceId: string;
  agentSchema: string;
  runId: string;
  depth: number;
  parentMessageId: string | null;
  content: string;
  status: "complete" | "aborted" | "error";
  metadata: Record<string, unknown>;
  inputTokens: number;
  outputTokens: number;
  /** Whether this run counts as a request in the account's usage (root runs do, children don't). */
  countsAsRequest: boolean;
}

const TITLE_LENGTH = 80;

export type ConversationStore = ReturnType<typeof createConversationStore>;

/**
 * A turn costs two account transactions: one that stores the user's message (so it is never lost,
 * whatever the model does) and returns the history, one that stores the answer and counts usage.
 * Each is one statement sent as one account batch: two database round trips per turn.
 */
export function createConversationStore({ database }: { database: DatabaseHandle }) {
  async function single<Row>(accountId: string, statement: SQL): Promise<Row[]> {
    const [rows] = await runAccountBatch(database, accountId, [statement]);
    return (rows ?? []) as Row[];
  }

  async function startTurn(
    accountId: string,
    input: { conversationId?: string | undefined; userId: string | null; text: string; historyTurns: number },
  ): Promise<StartedTurn> {
    if (!input.conversationId) {
      const [row] = await single<{ conversation_id: string; user_message_id: string }>(
        accountId,
        sql`
            with conversation as (
              insert into conversations (account_id, user_id, title)
              values (${accountId}, ${input.userId}, ${input.text.slice(0, TITLE_LENGTH)})
              returning id
            )
            insert into messages (account_id, conversation_id, role, content)
            select ${accountId}, id, 'user', ${input.text} from conversation
            returning conversation_id, id as user_message_id`,
      );
      if (!row) throw new Error("conversation insert returned no row");
      return { conversationId: row.conversation_id, userMessageId: row.user_message_id, history: [] };
    }

    const conversationId = input.conversationId;
    // Each turn is a user and an assistant message.
    const historyLimit = input.historyTurns * 2;
    const rows = await single<{
      user_message_id: string;
      role: "user" | "assistant" | "system" | null;
      content: string | null;
    }>(
      accountId,
      sql`
          with conversation as (
            update conversations set updated_at = now()
            where account_id = ${accountId} and id = ${conversationId}
            returning id
          ),
          inserted as (
            insert into messages (account_id, conversation_id, role, content)
            select ${accountId}, id, 'user', ${input.text} from conversation
            returning id
          )
          select inserted.id as user_message_id, history.role, history.content
          from inserted
          left join lateral (
            select role, content, position from messages
            where account_id = ${accountId} and conversation_id = ${conversationId}
              and depth = 0 and role in ('user', 'assistant', 'system') and content <> ''
            order by position desc
            limit ${historyLimit}
          ) history on true
          order by history.position asc`,
    );
    const first = rows[0];
    if (!first) throw new ConversationNotFoundError(`Conversation "${conversationId}" not found`);
    const history: HistoryMessage[] = [];
    for (const row of rows) {
      if (row.role === null || row.content === null) continue;
      // A stored handoff summary reaches the model as a note in the conversation: system prompts
      // belong to the agent's own instructions.
      if (row.role === "system") history.push({ role: "assistant", content: `(Handoff note) ${row.content}` });
      else history.push({ role: row.role, content: row.content });
    }
    return { conversationId, userMessageId: first.user_message_id, history };
  }

  async function finishRun(accountId: string, run: FinishedRun, now = new Date()): Promise<void> {
    const day = now.toISOString().slice(0, 10);
    const [row] = await single<{ id: string }>(
      accountId,
      sql`
          with counted as (
            insert into usage (account_id, day, requests, input_tokens, output_tokens)
            values (${accountId}, ${day}, ${run.countsAsRequest ? 1 : 0}, ${run.inputTokens}, ${run.outputTokens})
            on conflict (account_id, day) do update set
              requests = usage.requests + excluded.requests,
              input_tokens = usage.input_tokens + excluded.input_tokens,
              output_tokens = usage.output_tokens + excluded.output_tokens
          )
          insert into messages (
            id, account_id, conversation_id, parent_message_id, role, content, agent_instance_id,
            agent_schema, run_id, depth, status, metadata
          ) values (
            ${run.messageId}, ${accountId}, ${run.conversationId}, ${run.parentMessageId}, 'assistant', ${run.content},
            ${run.instanceId}, ${run.agentSchema}, ${run.runId}, ${run.depth}, ${run.status},
            ${JSON.stringify(run.metadata)}::jsonb
          )
          returning id`,
    );
    if (!row) throw new Error("message insert returned no row");
  }

  /**
   * The conversation's last turns at the top level, oldest first, each assistant message with the
   * instance that wrote it: the router's view of who is answering and what was said so far.
   */
  async function recentTurns(accountId: string, conversationId: string, limit: number): Promise<RecentMessage[]> {
    const rows = await single<{ role: "user" | "assistant" | "system"; content: string; agent_schema: string | null }>(
      accountId,
      sql`
        select role, content, agent_schema from (
          select role, content, agent_schema, position from messages
          where account_id = ${accountId} and conversation_id = ${conversationId} and depth = 0
          order by position desc
          limit ${limit}
        ) recent order by position asc`,
    );
    return rows.map((row) => ({
      role: row.role,
      content: row.content,
      agentSchema: row.agent_schema,
    }));
  }

  /** A change of answering agent, kept in the conversation with the summary the new agent was given. */
  async function recordHandoff(
    accountId: string,
    handoff: { conversationId: string; from: string; to: string; summary: string },
  ): Promise<void> {
    await single(
      accountId,
      sql`
        insert into messages (account_id, conversation_id, role, content, agent_schema, metadata)
        values (${accountId}, ${handoff.conversationId}, 'system', ${handoff.summary}, ${handoff.to},
                ${JSON.stringify({ handoff: { from: handoff.from, to: handoff.to } })}::jsonb)`,
    );
  }

  return { startTurn, finishRun, recentTurns, recordHandoff };
}
