import { and, desc, eq, ne, sql } from "drizzle-orm";
import type { Tier } from "../accounts/tiers.ts";
import type { Database } from "../db/client.ts";
import { knowledgeMigrations } from "../db/schema.ts";
import { withAccount } from "../db/tenant-scope.ts";

type MigrationRow = typeof knowledgeMigrations.$inferSelect;

/** A tier change's move of vectors, as the API reports it. */
export interface MigrationReport {
  id: string;
  status: "running" | "failed" | "completed";
  from_tier: string;
  to_tier: string;
  documents_total: number;
  documents_moved: number;
  chunks_moved: number;
  error: string | null;
  started_at: string;
  updated_at: string;
  completed_at: string | null;
}

export function toMigrationReport(row: MigrationRow): MigrationReport {
  return {
    id: row.id,
    status: row.status,
    from_tier: row.fromTier,
    to_tier: row.toTier,
    documents_total: row.documentsTotal,
    documents_moved: row.documentsMoved,
    chunks_moved: row.chunksMoved,
    error: row.error,
    started_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    completed_at: row.completedAt?.toISOString() ?? null,
  };
}

/** Persistence of migration state, so a move survives a crash and can be resumed and watched. */
export function createMigrationRecords(db: Database) {
  async function latest(accountId: string): Promise<MigrationRow | undefined> {
    const [row] = await withAccount(db, accountId, (transaction) =>
      transaction
        .select()
        .from(knowledgeMigrations)
        .where(eq(knowledgeMigrations.accountId, accountId))
        .orderBy(desc(knowledgeMigrations.createdAt))
        .limit(1),
    );
    return row;
  }

  /** The unfinished migration (retargeted to `toTier`), or a new one. */
  async function begin(accountId: string, fromTier: Tier, toTier: Tier): Promise<MigrationRow> {
    return withAccount(db, accountId, async (transaction) => {
      const [unfinished] = await transaction
        .update(knowledgeMigrations)
        .set({ toTier, status: "running", error: null, updatedAt: new Date() })
        .where(and(eq(knowledgeMigrations.accountId, accountId), ne(knowledgeMigrations.status, "completed")))
        .returning();
      if (unfinished) return unfinished;
      const [created] = await transaction
        .insert(knowledgeMigrations)
        .values({ accountId, fromTier, toTier })
        .returning();
      if (!created) throw new Error("migration insert returned no row");
      return created;
    });
  }

  async function update(
    accountId: string,
    id: string,
    changes: Partial<Pick<MigrationRow, "status" | "documentsTotal" | "error" | "completedAt">> & {
      moved?: { documents: number; chunks: number };
    },
  ): Promise<MigrationRow> {
    const { moved, ...fields } = changes;
    const [row] = await withAccount(db, accountId, (transaction) =>
      transaction
        .update(knowledgeMigrations)
        .set({
          ...fields,
          ...(moved
            ? {
                documentsMoved: sql`${knowledgeMigrations.documentsMoved} + ${moved.documents}`,
                chunksMoved: sql`${knowledgeMigrations.chunksMoved} + ${moved.chunks}`,
              }
            : {}),
          updatedAt: new Date(),
        })
        .where(and(eq(knowledgeMigrations.accountId, accountId), eq(knowledgeMigrations.id, id)))
        .returning(),
    );
    if (!row) throw new Error("migration row vanished");
    return row;
  }

  return { latest, begin, update };
}

export type MigrationRecords = ReturnType<typeof createMigrationRecords>;
