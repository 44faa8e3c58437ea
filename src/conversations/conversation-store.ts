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
  /** The running summary of turns older than the window, when the conversation keeps one. */
  summary?: string | null;
  /** Set when the window is full: the first position it shows, so older turns can be summarised. */
  olderMessagesBefore?: number | null;
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
      position: string | number | null;
      memory: { summary?: string } | null;
    }>(
      accountId,
      sql`
          with conversation as (
            update conversations set updated_at = now()
            where account_id = ${accountId} and id = ${conversationId}
            returning id, metadata
          ),
          inserted as (
            insert into messages (account_id, conversation_id, role, content)
            select ${accountId}, id, 'user', ${input.text} from conversation
            returning id
          )
          select inserted.id as user_message_id, history.role, history.content, history.position,
                 (select metadata->'memory' from conversation) as memory
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
    let windowStart: number | null = null;
    for (const row of rows) {
      if (row.position !== null && windowStart === null) windowStart = Number(row.position);
      if (row.role === null || row.content === null) continue;
      // A stored handoff summary reaches the model as a note in the conversation: system prompts
      // belong to the agent's own instructions.
      if (row.role === "system")
        history.push({ role: "assistant", content: `(Handoff note) ${row.content}` });
      else history.push({ role: row.role, content: row.content });
    }
    const memory = first.memory;
    return {
      conversationId,
      userMessageId: first.user_message_id,
      history,
      summary: memory?.summary ?? null,
      // Full window: there may be earlier messages the window no longer shows.
      olderMessagesBefore: rows.length >= historyLimit && windowStart !== null ? windowStart : null,
    };
  }

  /** Messages that slid out of the history window and the running summary does not cover yet. */
  async function unsummarized(accountId: string, conversationId: string, before: number) {
    return single<{
      role: "user" | "assistant";
      content: string;
      agent_schema: string | null;
      position: string;
    }>(
      accountId,
      sql`
        select m.role, m.content, m.agent_schema, m.position from messages m
        join conversations c on c.account_id = m.account_id and c.id = m.conversation_id
        where m.account_id = ${accountId} and m.conversation_id = ${conversationId} and m.depth = 0
          and m.role in ('user', 'assistant') and m.content <> '' and m.position < ${before}
          and m.position > coalesce((c.metadata->'memory'->>'through')::bigint, 0)
        order by m.position`,
    );
  }

  async function saveSummary(accountId: string, conversationId: string, summary: string, through: number) {
    await single(
      accountId,
      sql`
        update conversations
        set metadata = jsonb_set(metadata, '{memory}', ${JSON.stringify({ summary, through })}::jsonb)
        where account_id = ${accountId} and id = ${conversationId}`,
    );
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
  async function recentTurns(
    accountId: string,
    conversationId: string,
    limit: number,
  ): Promise<RecentMessage[]> {
    const rows = await single<{
      role: "user" | "assistant" | "system";
      content: string;
      agent_schema: string | null;
    }>(
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

  return { startTurn, finishRun, recentTurns, recordHandoff, unsummarized, saveSummary };
}
