import type { RecordMetadata } from "@pinecone-database/pinecone";
import type { ChunkFields, MetadataFilter, MetadataValue, VectorRecord } from "./vector-store.ts";

/** Pinecone's advice for dense vectors: at most 100 records and 2 MB per upsert request. */
export const UPSERT_MAX_RECORDS = 100;
export const UPSERT_MAX_BYTES = 1_500_000;

export interface PineconeRecord {
  id: string;
  values: number[];
  metadata: RecordMetadata;
}

/**
 * The record as Pinecone stores it: metadata is flat, holds no nulls, and always carries the
 * account id, which every query filters on as well as the namespace (two walls, not one).
 */
export function toPineconeRecord(record: VectorRecord, accountId: string): PineconeRecord {
  const metadata: RecordMetadata = {
    ...record.metadata,
    account_id: accountId,
    document_id: record.document_id,
    chunk_index: record.chunk_index,
    title: record.title,
    content: record.content,
  };
  if (record.source !== null) metadata.source = record.source;
  return { id: record.id, values: Array.from(record.values), metadata };
}

const FIELD_KEYS = new Set(["account_id", "document_id", "chunk_index", "title", "source", "content"]);

export function fromPineconeMetadata(
  id: string,
  metadata: RecordMetadata | undefined,
): ChunkFields & { id: string } {
  const stored = metadata ?? {};
  const custom: Record<string, MetadataValue> = {};
  for (const [key, value] of Object.entries(stored)) {
    if (
      !FIELD_KEYS.has(key) &&
      (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    ) {
      custom[key] = value;
    }
  }
  return {
    id,
    document_id: String(stored.document_id ?? ""),
    chunk_index: Number(stored.chunk_index ?? 0),
    title: String(stored.title ?? ""),
    source: typeof stored.source === "string" ? stored.source : null,
    content: String(stored.content ?? ""),
    metadata: custom,
  };
}

/** Our filter in Pinecone's filter language, with the account always required. */
export function toPineconeFilter(filter: MetadataFilter | undefined, accountId: string): object {
  const clauses: Record<string, object> = { account_id: { $eq: accountId } };
  for (const [key, expected] of Object.entries(filter ?? {})) {
    if (key === "account_id") continue;
    clauses[key] = typeof expected === "object" ? { $in: expected.$in } : { $eq: expected };
  }
  return clauses;
}

function estimatedBytes(record: PineconeRecord): number {
  // Each float prints as ~12 characters in JSON; the metadata as itself.
  return record.values.length * 12 + JSON.stringify(record.metadata).length + record.id.length + 64;
}

/** Splits records into requests under both of Pinecone's per-request limits. */
export function upsertBatches(records: PineconeRecord[]): PineconeRecord[][] {
  const batches: PineconeRecord[][] = [];
  let current: PineconeRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = estimatedBytes(record);
    if (current.length > 0 && (current.length >= UPSERT_MAX_RECORDS || bytes + size > UPSERT_MAX_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(record);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Runs tasks with at most `limit` in flight; the first failure rejects. */
export async function inParallel<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  });
  await Promise.all(workers);
}
