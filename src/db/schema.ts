import { sql } from "drizzle-orm";
import {
  bigint,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

/**
 * The tenant registry. It is platform data, not account data: it is read before an account is
 * known (resolving a slug), so it carries no row-level security and only src/accounts reads it.
 */
export const accounts = pgTable("accounts", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  tier: text("tier", { enum: ["budget", "standard", "professional", "enterprise"] }).notNull(),
  status: text("status", { enum: ["active", "suspended"] })
    .notNull()
    .default("active"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

// Every table below holds account data: it has account_id, row-level security forced on it
// (migration 0001), and is only reached through withAccount().

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** The first characters of the key, kept so an operator can tell keys apart. */
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    createdAt: createdAt(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (table) => [index("api_keys_account_idx").on(table.accountId)],
);

export const agentInstances = pgTable(
  "agent_instances",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    type: text("type").notNull(),
    /** Only the overrides; the effective config is template ⊕ overrides, computed on read. */
    config: jsonb("config").$type<Record<string, unknown>>().notNull().default({}),
    status: text("status", { enum: ["active", "inactive", "archived"] })
      .notNull()
      .default("active"),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [uniqueIndex("agent_instances_account_slug_idx").on(table.accountId, table.slug)],
);

export const conversations = pgTable(
  "conversations",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    userId: text("user_id"),
    title: text("title"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    index("conversations_account_idx").on(table.accountId, table.createdAt),
    // The target of messages' composite key: a message can only join a conversation of its account.
    uniqueIndex("conversations_account_id_idx").on(table.accountId, table.id),
  ],
);

export const messages = pgTable(
  "messages",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    conversationId: uuid("conversation_id").notNull(),
    /** Insertion order: timestamps tie within a transaction, this never does. */
    position: bigint("position", { mode: "number" }).generatedAlwaysAsIdentity(),
    /** Set on child-run messages so a conversation's tree of agent work can be read back. */
    parentMessageId: uuid("parent_message_id"),
    role: text("role", { enum: ["user", "assistant", "system"] }).notNull(),
    content: text("content").notNull(),
    agentInstanceId: uuid("agent_instance_id"),
    agentSchema: text("agent_schema"),
    runId: text("run_id"),
    depth: integer("depth").notNull().default(0),
    status: text("status", { enum: ["complete", "aborted", "error"] })
      .notNull()
      .default("complete"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (table) => [
    // Foreign-key checks bypass row-level security, so the key includes the account: a message
    // naming another account's conversation id is refused by the database itself.
    foreignKey({
      name: "messages_account_conversation_fk",
      columns: [table.accountId, table.conversationId],
      foreignColumns: [conversations.accountId, conversations.id],
    }).onDelete("cascade"),
    index("messages_conversation_idx").on(table.accountId, table.conversationId, table.position),
    index("messages_parent_idx").on(table.parentMessageId),
  ],
);

export const usage = pgTable(
  "usage",
  {
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    day: date("day").notNull(),
    requests: integer("requests").notNull().default(0),
    inputTokens: bigint("input_tokens", { mode: "number" }).notNull().default(0),
    outputTokens: bigint("output_tokens", { mode: "number" }).notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.accountId, table.day] })],
);

/** Tables under row-level security; the migration and the RLS tests both walk this list. */
export const ACCOUNT_SCOPED_TABLES = [
  "api_keys",
  "agent_instances",
  "conversations",
  "messages",
  "usage",
] as const;
