import { and, asc, eq, inArray, ne, or, sql } from "drizzle-orm";
import type { VectorBackend } from "../accounts/tiers.ts";
import type { Database } from "../db/client.ts";
import { knowledgeDocuments } from "../db/schema.ts";
import { type ScopedTransaction, withAccount } from "../db/tenant-scope.ts";
import type { MetadataValue } from "../vector/vector-store.ts";

export type DocumentRow = typeof knowledgeDocuments.$inferSelect;

/** A document as the API lists it. */
export interface KnowledgeDocument {
  id: string;
  title: string;
  source: string | null;
  chunks: number;
  hash: string;
  metadata: Record<string, MetadataValue>;
  backend: VectorBackend;
  created_at: string;
}

export function toKnowledgeDocument(row: DocumentRow): KnowledgeDocument {
  return {
    id: row.id,
    title: row.title,
    source: row.source,
    chunks: row.chunkCount,
    hash: row.contentHash,
    metadata: row.metadata as Record<string, MetadataValue>,
    backend: row.backend,
    created_at: row.createdAt.toISOString(),
  };
}

export interface NewDocumentRow {
  title: string;
  source: string | null;
  contentHash: string;
  chunkCount: number;
  metadata: Record<string, MetadataValue>;
}

/** The catalog of ingested documents: every read and write is scoped to one account. */

/** The rows of one instance's knowledge base, within its account. */
function ofInstance(accountId: string, instanceId: string) {
  return [eq(knowledgeDocuments.accountId, accountId), eq(knowledgeDocuments.instanceId, instanceId)];
}

export function createKnowledgeCatalog(db: Database) {
  async function list(accountId: string, instanceId: string): Promise<DocumentRow[]> {
    return withAccount(db, accountId, (transaction) =>
      transaction
        .select()
        .from(knowledgeDocuments)
        .where(and(...ofInstance(accountId, instanceId), eq(knowledgeDocuments.status, "ready")))
        .orderBy(asc(knowledgeDocuments.createdAt), asc(knowledgeDocuments.title)),
    );
  }

  async function find(
    accountId: string,
    instanceId: string,
    documentId: string,
  ): Promise<DocumentRow | undefined> {
    const [row] = await withAccount(db, accountId, (transaction) =>
      transaction
        .select()
        .from(knowledgeDocuments)
        .where(and(...ofInstance(accountId, instanceId), eq(knowledgeDocuments.id, documentId))),
    );
    return row;
  }

  /** Which backends hold the instance's searchable documents (one, except mid-migration). */
  async function backendsOf(accountId: string, instanceId: string): Promise<VectorBackend[]> {
    const rows = await withAccount(db, accountId, (transaction) =>
      transaction
        .selectDistinct({ backend: knowledgeDocuments.backend })
        .from(knowledgeDocuments)
        .where(and(...ofInstance(accountId, instanceId), eq(knowledgeDocuments.status, "ready"))),
    );
    return rows.map((row) => row.backend);
  }

  /**
   * Runs `work` holding the account's knowledge lock, so the chunk count it reads stays true
   * until it commits: two ingestions cannot both squeeze under the tier's limit.
   */
  async function underAccountLock<T>(
    accountId: string,
    work: (transaction: ScopedTransaction) => Promise<T>,
  ): Promise<T> {
    return withAccount(db, accountId, async (transaction) => {
      await transaction.execute(
        sql`select pg_advisory_xact_lock(hashtext(${`switchboard:knowledge:${accountId}`}))`,
      );
      return work(transaction);
    });
  }

  async function chunkTotal(transaction: ScopedTransaction, accountId: string): Promise<number> {
    const [row] = await transaction
      .select({ total: sql<number>`coalesce(sum(${knowledgeDocuments.chunkCount}), 0)::int` })
      .from(knowledgeDocuments)
      .where(eq(knowledgeDocuments.accountId, accountId));
    return Number(row?.total ?? 0);
  }

  /** Rows that match an incoming document by content or by source. */
  async function matching(
    transaction: ScopedTransaction,
    accountId: string,
    instanceId: string,
    hashes: string[],
    sources: string[],
  ): Promise<DocumentRow[]> {
    const byContent = hashes.length > 0 ? inArray(knowledgeDocuments.contentHash, hashes) : undefined;
    const bySource = sources.length > 0 ? inArray(knowledgeDocuments.source, sources) : undefined;
    const either = byContent && bySource ? or(byContent, bySource) : (byContent ?? bySource);
    if (!either) return [];
    return transaction
      .select()
      .from(knowledgeDocuments)
      .where(and(...ofInstance(accountId, instanceId), either));
  }

  async function markReady(accountId: string, ids: string[], removeIds: string[]): Promise<void> {
    await withAccount(db, accountId, async (transaction) => {
      if (ids.length > 0) {
        await transaction
          .update(knowledgeDocuments)
          .set({ status: "ready", updatedAt: new Date() })
          .where(and(eq(knowledgeDocuments.accountId, accountId), inArray(knowledgeDocuments.id, ids)));
      }
      if (removeIds.length > 0) {
        await transaction
          .delete(knowledgeDocuments)
          .where(and(eq(knowledgeDocuments.accountId, accountId), inArray(knowledgeDocuments.id, removeIds)));
      }
    });
  }

  async function remove(accountId: string, ids: string[], within?: ScopedTransaction): Promise<void> {
    if (ids.length === 0) return;
    const work = (transaction: ScopedTransaction) =>
      transaction
        .delete(knowledgeDocuments)
        .where(and(eq(knowledgeDocuments.accountId, accountId), inArray(knowledgeDocuments.id, ids)));
    await (within ? work(within) : withAccount(db, accountId, work));
  }

  /** Of these document ids, the ones the instance's catalog lists as searchable. */
  async function readyAmong(accountId: string, instanceId: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await withAccount(db, accountId, (transaction) =>
      transaction
        .select({ id: knowledgeDocuments.id })
        .from(knowledgeDocuments)
        .where(
          and(
            ...ofInstance(accountId, instanceId),
            eq(knowledgeDocuments.status, "ready"),
            inArray(knowledgeDocuments.id, ids),
          ),
        ),
    );
    return new Set(rows.map((row) => row.id));
  }

  /** The account's searchable documents whose vectors are not in `backend`, oldest first. */
  async function outside(accountId: string, backend: VectorBackend): Promise<DocumentRow[]> {
    return withAccount(db, accountId, (transaction) =>
      transaction
        .select()
        .from(knowledgeDocuments)
        .where(
          and(
            eq(knowledgeDocuments.accountId, accountId),
            eq(knowledgeDocuments.status, "ready"),
            ne(knowledgeDocuments.backend, backend),
          ),
        )
        .orderBy(asc(knowledgeDocuments.createdAt), asc(knowledgeDocuments.id)),
    );
  }

  /** Points a document at the backend its vectors were just copied to. */
  async function setBackend(accountId: string, documentId: string, backend: VectorBackend): Promise<void> {
    await withAccount(db, accountId, (transaction) =>
      transaction
        .update(knowledgeDocuments)
        .set({ backend, updatedAt: new Date() })
        .where(and(eq(knowledgeDocuments.accountId, accountId), eq(knowledgeDocuments.id, documentId))),
    );
  }

  /** Whether any document of the instance (stored or being stored) still lives in `backend`. */
  async function uses(accountId: string, instanceId: string, backend: VectorBackend): Promise<boolean> {
    const [row] = await withAccount(db, accountId, (transaction) =>
      transaction
        .select({ id: knowledgeDocuments.id })
        .from(knowledgeDocuments)
        .where(and(...ofInstance(accountId, instanceId), eq(knowledgeDocuments.backend, backend)))
        .limit(1),
    );
    return row !== undefined;
  }

  return {
    list,
    find,
    backendsOf,
    underAccountLock,
    chunkTotal,
    matching,
    markReady,
    remove,
    readyAmong,
    outside,
    setBackend,
    uses,
  };
}

export type KnowledgeCatalog = ReturnType<typeof createKnowledgeCatalog>;
