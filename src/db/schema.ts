import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
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
  /** The account's own router and multi-agent settings, within what its tier allows. */
  settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
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
  (table) => [
    uniqueIndex("agent_instances_account_slug_idx").on(table.accountId, table.slug),
    // The target of knowledge documents' composite key: a document can only name an instance of its account.
    uniqueIndex("agent_instances_account_id_idx").on(table.accountId, table.id),
  ],
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

/**
 * One ingested document of an instance's knowledge base. Its chunks and vectors live in the vector
 * store named by `backend`; this row is the catalog (listing, idempotency, the tier's chunk count).
 */
export const knowledgeDocuments = pgTable(
  "knowledge_documents",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    instanceId: uuid("instance_id").notNull(),
    title: text("title").notNull(),
    source: text("source"),
    /** sha256 of the document's text: re-ingesting the same text is recognised and skipped. */
    contentHash: text("content_hash").notNull(),
    chunkCount: integer("chunk_count").notNull(),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    /** Where its vectors are now; a tier migration moves documents one by one and updates this. */
    backend: text("backend", { enum: ["pgvector", "pinecone-shared", "pinecone-dedicated"] }).notNull(),
    /** `pending` until its vectors are stored: a crash in between leaves a row a retry replaces. */
    status: text("status", { enum: ["pending", "ready"] })
      .notNull()
      .default("pending"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    foreignKey({
      name: "knowledge_documents_account_instance_fk",
      columns: [table.accountId, table.instanceId],
      foreignColumns: [agentInstances.accountId, agentInstances.id],
    }).onDelete("cascade"),
    uniqueIndex("knowledge_documents_content_idx").on(table.accountId, table.instanceId, table.contentHash),
    index("knowledge_documents_instance_idx").on(table.accountId, table.instanceId, table.createdAt),
  ],
);

/**
 * A tier change's move of an account's vectors between backends, persisted so an interrupted
 * move can be resumed and its progress read from any replica.
 */
export const knowledgeMigrations = pgTable(
  "knowledge_migrations",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    fromTier: text("from_tier").notNull(),
    toTier: text("to_tier").notNull(),
    status: text("status", { enum: ["running", "failed", "completed"] })
      .notNull()
      .default("running"),
    documentsTotal: integer("documents_total").notNull().default(0),
    documentsMoved: integer("documents_moved").notNull().default(0),
    chunksMoved: integer("chunks_moved").notNull().default(0),
    error: text("error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (table) => [
    // At most one unfinished move per account: a second tier change resumes it or waits.
    uniqueIndex("knowledge_migrations_unfinished_idx")
      .on(table.accountId)
      .where(sql`${table.status} <> 'completed'`),
  ],
);

/**
 * An account's secrets (MCP server tokens, provider keys), encrypted with AES-256-GCM under the
 * operator's SWITCHBOARD_SECRETS_KEY; the value is never stored or returned in the clear.
 */
export const accountSecrets = pgTable(
  "account_secrets",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** base64, like the IV and the authentication tag. */
    ciphertext: text("ciphertext").notNull(),
    iv: text("iv").notNull(),
    authTag: text("auth_tag").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [uniqueIndex("account_secrets_account_name_idx").on(table.accountId, table.name)],
);

/**
 * An account's product catalog: the only source of the prices its sales agents quote. The price
 * is an exact decimal, read back as text ("49.00") so it is quoted verbatim, never re-rounded.
 */
export const products = pgTable(
  "products",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    sku: text("sku").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    price: numeric("price", { precision: 12, scale: 2 }).notNull(),
    currency: text("currency").notNull(),
    attributes: jsonb("attributes").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("products_account_sku_idx").on(table.accountId, table.sku),
    check("products_price_check", sql`${table.price} >= 0`),
    check("products_currency_check", sql`${table.currency} ~ '^[A-Z]{3}$'`),
  ],
);

/** Contact details a sales agent captured in a conversation, for the account's sales team. */
export const leads = pgTable(
  "leads",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    instanceId: uuid("instance_id").notNull(),
    /** Not a foreign key: a lead outlives the conversation it came from. */
    conversationId: uuid("conversation_id"),
    name: text("name"),
    email: text("email").notNull(),
    company: text("company"),
    interest: text("interest"),
    createdAt: createdAt(),
  },
  (table) => [
    // Includes the account, like messages' key: a lead can only name an instance of its own account.
    foreignKey({
      name: "leads_account_instance_fk",
      columns: [table.accountId, table.instanceId],
      foreignColumns: [agentInstances.accountId, agentInstances.id],
    }),
    index("leads_account_created_idx").on(table.accountId, table.createdAt),
    // The same address given twice in one conversation is one lead, updated.
    uniqueIndex("leads_conversation_email_idx").on(
      table.accountId,
      table.conversationId,
      sql`lower(${table.email})`,
    ),
  ],
);

/** Tables under row-level security; the migration and the RLS tests both walk this list. */
export const ACCOUNT_SCOPED_TABLES = [
  "api_keys",
  "agent_instances",
  "conversations",
  "messages",
  "usage",
  "knowledge_documents",
  "knowledge_migrations",
  "account_secrets",
  "products",
  "leads",
] as const;
