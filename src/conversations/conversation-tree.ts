import { and, asc, eq } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { conversations, messages } from "../db/schema.ts";
import { withAccount } from "../db/tenant-scope.ts";
import { ConversationNotFoundError } from "../errors/app-error.ts";

export interface MessageNode {
  id: string;
  role: "user" | "assistant" | "system";
  content: string;
  agent_schema: string | null;
  status: "complete" | "aborted" | "error";
  depth: number;
  metadata: Record<string, unknown>;
  created_at: string;
  /** The child runs this message's agent asked, in the order they were stored. */
  children: MessageNode[];
}

export interface ConversationTree {
  id: string;
  title: string | null;
  user_id: string | null;
  created_at: string;
  updated_at: string;
  messages: MessageNode[];
}

/** A conversation as a tree: each turn's messages, with the child runs nested under their parent. */
export async function readConversationTree(
  db: Database,
  accountId: string,
  conversationId: string,
): Promise<ConversationTree> {
  const { conversation, rows } = await withAccount(db, accountId, async (transaction) => {
    const [found] = await transaction
      .select()
      .from(conversations)
      .where(and(eq(conversations.accountId, accountId), eq(conversations.id, conversationId)));
    const rows = found
      ? await transaction
          .select()
          .from(messages)
          .where(and(eq(messages.accountId, accountId), eq(messages.conversationId, conversationId)))
          .orderBy(asc(messages.position))
      : [];
    return { conversation: found, rows };
  });
  if (!conversation) throw new ConversationNotFoundError(`Conversation "${conversationId}" not found`);

  const nodes = new Map<string, MessageNode>();
  const roots: MessageNode[] = [];
  for (const row of rows) {
    nodes.set(row.id, {
      id: row.id,
      role: row.role,
      content: row.content,
      agent_schema: row.agentSchema,
      status: row.status,
      depth: row.depth,
      metadata: row.metadata,
      created_at: row.createdAt.toISOString(),
      children: [],
    });
  }
  for (const row of rows) {
    const node = nodes.get(row.id) as MessageNode;
    const parent = row.parentMessageId ? nodes.get(row.parentMessageId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return {
    id: conversation.id,
    title: conversation.title,
    user_id: conversation.userId,
    created_at: conversation.createdAt.toISOString(),
    updated_at: conversation.updatedAt.toISOString(),
    messages: roots,
  };
}
