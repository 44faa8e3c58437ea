import type { Index, Pinecone } from "@pinecone-database/pinecone";
import { VectorBackendUnavailableError } from "../errors/app-error.ts";
import {
  fromPineconeMetadata,
  inParallel,
  toPineconeFilter,
  toPineconeRecord,
  upsertBatches,
} from "./pinecone-request.ts";
import { sameDimensions, type VectorMatch, type VectorRecord, type VectorStore } from "./vector-store.ts";

/** Upsert requests in flight at once for one ingestion. */
const UPSERT_CONCURRENCY = 4;
/** Pinecone's limits for one list page and one delete-by-ids request. */
const LIST_PAGE_SIZE = 100;
const DELETE_MAX_IDS = 1_000;
const FETCH_MAX_IDS = 100;

export interface PineconeDeployment {
  cloud: string;
  region: string;
}

export interface PineconeStoreOptions {
  client: Pinecone;
  backend: "pinecone-shared" | "pinecone-dedicated";
  indexName: string;
  namespace: string;
  accountId: string;
  deployment: PineconeDeployment;
  /** Indexes this process already found or created, shared across stores. */
  ensuredIndexes?: Set<string>;
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === "PineconeNotFoundError";
}

/** Pinecone failures are the platform's dependency failing: a 503 with what was being done. */
async function guarded<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Error && error.name.startsWith("Pinecone")) {
      throw new VectorBackendUnavailableError(`Pinecone could not ${what}: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
}

/** Reads from an index that does not exist yet find nothing. */
async function reading<T>(what: string, empty: T, work: () => Promise<T>): Promise<T> {
  return guarded(what, async () => {
    try {
      return await work();
    } catch (error) {
      if (isNotFound(error)) return empty;
      throw error;
    }
  });
}

export function createPineconeStore(options: PineconeStoreOptions): VectorStore {
  const { client, indexName, namespace, accountId } = options;
  const ensured = options.ensuredIndexes ?? new Set<string>();
  const index = (): Index => client.index({ name: indexName, namespace });

  /** The index is created on first write when missing (the dedicated one always is at first). */
  async function ensureIndex(dimensions: number): Promise<void> {
    if (ensured.has(indexName)) return;
    try {
      await client.describeIndex(indexName);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await client.createIndex({
        name: indexName,
        schema: { fields: { _values: { type: "dense_vector", dimension: dimensions, metric: "cosine" } } },
        deployment: {
          deploymentType: "managed",
          cloud: options.deployment.cloud,
          region: options.deployment.region,
        },
        waitUntilReady: true,
        suppressConflicts: true,
      });
    }
    ensured.add(indexName);
  }

  /** Every id under a document's prefix (`<document_id>:`), the way Pinecone serverless lists them. */
  async function documentIds(documentId: string): Promise<string[]> {
    const ids: string[] = [];
    let paginationToken: string | undefined;
    do {
      const page = await index().listPaginated({
        prefix: `${documentId}:`,
        limit: LIST_PAGE_SIZE,
        ...(paginationToken === undefined ? {} : { paginationToken }),
      });
      for (const item of page.vectors ?? []) if (item.id) ids.push(item.id);
      paginationToken = page.pagination?.next;
    } while (paginationToken);
    return ids;
  }

  return {
    backend: options.backend,
    location: `${indexName}/${namespace}`,

    async upsert(records) {
      const dimensions = sameDimensions(records);
      if (dimensions === null) return;
      const batches = upsertBatches(records.map((record) => toPineconeRecord(record, accountId)));
      await guarded("store the vectors", async () => {
        await ensureIndex(dimensions);
        await inParallel(batches, UPSERT_CONCURRENCY, (batch) => index().upsert({ records: batch }));
      });
    },

    async query(query): Promise<VectorMatch[]> {
      const response = await reading("search", null, () =>
        index().query({
          vector: Array.from(query.vector),
          topK: Math.max(1, Math.floor(query.topK)),
          filter: toPineconeFilter(query.filter, accountId),
          includeMetadata: true,
        }),
      );
      return (response?.matches ?? [])
        .filter((match) => match.metadata?.account_id === accountId)
        .map((match) => ({ ...fromPineconeMetadata(match.id, match.metadata), score: match.score ?? 0 }));
    },

    async fetch(ids) {
      const found: VectorRecord[] = [];
      for (let start = 0; start < ids.length; start += FETCH_MAX_IDS) {
        const response = await reading("read vectors", null, () =>
          index().fetch({ ids: ids.slice(start, start + FETCH_MAX_IDS) }),
        );
        for (const record of Object.values(response?.records ?? {})) {
          if (record.metadata?.account_id !== accountId) continue;
          found.push({ ...fromPineconeMetadata(record.id, record.metadata), values: record.values ?? [] });
        }
      }
      return found.sort((left, right) =>
        left.document_id === right.document_id
          ? left.chunk_index - right.chunk_index
          : left.document_id.localeCompare(right.document_id),
      );
    },

    async deleteDocument(documentId) {
      const ids = await reading("list a document's vectors", [], () => documentIds(documentId));
      for (let start = 0; start < ids.length; start += DELETE_MAX_IDS) {
        await guarded("delete vectors", () =>
          index().deleteMany({ ids: ids.slice(start, start + DELETE_MAX_IDS) }),
        );
      }
    },

    async count() {
      const stats = await reading("count vectors", null, () => index().describeIndexStats());
      return stats?.namespaces?.[namespace]?.recordCount ?? 0;
    },

    async drop() {
      await reading("drop the namespace", undefined, () => index().deleteAll());
    },
  };
}
