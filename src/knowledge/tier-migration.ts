import type { Account, AccountService } from "../accounts/account-service.ts";
import { type Tier, VECTOR_BACKENDS, type VectorBackend } from "../accounts/tiers.ts";
import type { AgentInstance, InstanceService } from "../agents/instance-service.ts";
import {
  AppError,
  KnowledgeMigrationFailedError,
  KnowledgeMigrationInProgressError,
} from "../errors/app-error.ts";
import { chunkId, type VectorRecord } from "../vector/vector-store.ts";
import type { VectorStores } from "../vector/vector-stores.ts";
import type { DocumentRow, KnowledgeCatalog } from "./knowledge-catalog.ts";
import { type MigrationRecords, type MigrationReport, toMigrationReport } from "./migration-records.ts";

/** Vectors read from the old backend per request. */
const FETCH_BATCH = 100;

export interface TierChange {
  account: Account;
  migration: MigrationReport;
}

export function createTierMigration(dependencies: {
  accounts: AccountService;
  instances: InstanceService;
  catalog: KnowledgeCatalog;
  stores: VectorStores;
  records: MigrationRecords;
}) {
  const { accounts, instances, catalog, stores, records } = dependencies;
  /** Accounts whose move runs in this process: a second request waits its turn with a 409. */
  const running = new Set<string>();

  async function copyDocument(
    account: Account,
    instance: AgentInstance,
    row: DocumentRow,
    target: VectorBackend,
  ) {
    const source = stores.open(account, instance, row.backend);
    const destination = stores.open(account, instance, target);
    const ids = Array.from({ length: row.chunkCount }, (_, index) => chunkId(row.id, index));
    const copied: VectorRecord[] = [];
    for (let start = 0; start < ids.length; start += FETCH_BATCH) {
      copied.push(...(await source.fetch(ids.slice(start, start + FETCH_BATCH))));
    }
    if (copied.length !== row.chunkCount) {
      // Never switch a document to a copy that lacks chunks: it stays where it is, whole.
      throw new Error(
        `document "${row.title}" (${row.id}) has ${copied.length} of its ${row.chunkCount} chunks in ${row.backend}`,
      );
    }
    await destination.upsert(copied);
    await catalog.setBackend(account.id, row.id, target);
    // The document now reads from its new home; the old copy is only garbage.
    await source.deleteDocument(row.id).catch(() => {});
  }

  /** Empties the old backends once no document of the instance lives in them. */
  async function dropOld(account: Account, all: AgentInstance[], target: VectorBackend) {
    const old = VECTOR_BACKENDS.filter(
      (backend) => backend !== target && (backend === "pgvector" || stores.pineconeConfigured),
    );
    let dedicatedInUse = false;
    for (const instance of all) {
      for (const backend of old) {
        if (await catalog.uses(account.id, instance.id, backend)) {
          dedicatedInUse ||= backend === "pinecone-dedicated";
          continue;
        }
        await stores.open(account, instance, backend).drop();
      }
    }
    if (old.includes("pinecone-dedicated") && !dedicatedInUse) await stores.dropDedicatedIndex(account);
  }

  /**
   * Moves the account to `tier` and its knowledge to where that tier keeps it. New knowledge goes
   * to the new backend at once; existing documents are moved one at a time — copied, switched
   * (the catalog row names the new backend), then deleted from the old one — so every document
   * is searchable in exactly one place throughout. Afterwards the old stores are dropped. The
   * state is persisted: after a failure or a crash, the same request resumes where it stopped.
   */
  async function changeTier(
    account: Account,
    tier: Tier,
    onProgress: (report: MigrationReport) => void = () => {},
  ): Promise<TierChange> {
    if (running.has(account.id)) {
      const current = await records.latest(account.id);
      throw new KnowledgeMigrationInProgressError(
        `Account "${account.slug}" is already moving its knowledge to another tier; wait for it to finish`,
        current ? { details: { migration: toMigrationReport(current) } } : undefined,
      );
    }
    running.add(account.id);
    try {
      let row = await records.begin(account.id, account.tier, tier);
      // Always written: the account passed in may come from a cache a few seconds old.
      const updated = await accounts.setTier(account.id, tier);
      const all = await instances.list(updated, { includeArchived: true });
      const byId = new Map(all.map((instance) => [instance.id, instance]));
      const target = stores.backendFor(updated);
      try {
        const pending = (await catalog.outside(account.id, target)).filter((document) =>
          byId.has(document.instanceId),
        );
        row = await records.update(account.id, row.id, {
          documentsTotal: row.documentsMoved + pending.length,
        });
        onProgress(toMigrationReport(row));
        for (const document of pending) {
          await copyDocument(updated, byId.get(document.instanceId) as AgentInstance, document, target);
          row = await records.update(account.id, row.id, {
            moved: { documents: 1, chunks: document.chunkCount },
          });
          onProgress(toMigrationReport(row));
        }
        await dropOld(updated, all, target);
        row = await records.update(account.id, row.id, { status: "completed", completedAt: new Date() });
        onProgress(toMigrationReport(row));
        return { account: updated, migration: toMigrationReport(row) };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        row = await records.update(account.id, row.id, { status: "failed", error: reason });
        throw new KnowledgeMigrationFailedError(
          `The account is on the ${tier} tier, but moving its knowledge stopped: ${reason}. Send the same request again to resume`,
          {
            cause: error,
            details: {
              migration: toMigrationReport(row),
              ...(AppError.isInstance(error) ? { reason: error.code } : {}),
            },
          },
        );
      }
    } finally {
      running.delete(account.id);
    }
  }

  async function status(account: Account): Promise<MigrationReport | null> {
    const row = await records.latest(account.id);
    return row ? toMigrationReport(row) : null;
  }

  return { changeTier, status };
}

export type TierMigration = ReturnType<typeof createTierMigration>;
