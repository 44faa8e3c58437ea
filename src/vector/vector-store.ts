import type { VectorBackend } from "../accounts/tiers.ts";

/** Custom metadata values are kept flat and scalar: every backend can store and filter them. */
export type MetadataValue = string | number | boolean;

/** What every chunk carries besides its vector; custom fields ride along in `metadata`. */
export interface ChunkFields {
  document_id: string;
  chunk_index: number;
  title: string;
  source: string | null;
  content: string;
  metadata: Record<string, MetadataValue>;
}

export interface VectorRecord extends ChunkFields {
  /** `<document_id>:<chunk_index>`: stable, so re-upserting a chunk overwrites it. */
  id: string;
  values: ArrayLike<number>;
}

/**
 * Equality on a chunk field (`document_id`, `source`, `title`, `chunk_index`) or a custom
 * metadata key; `{ $in: [...] }` matches any of the values. Keys are combined with AND.
 */
export type MetadataFilter = Record<string, MetadataValue | { $in: MetadataValue[] }>;

export interface VectorQuery {
  vector: ArrayLike<number>;
  /** The question's words, for backends that also search by keyword (pgvector's hybrid search). */
  text?: string | undefined;
  topK: number;
  filter?: MetadataFilter | undefined;
}

export interface VectorMatch extends ChunkFields {
  id: string;
  /** Cosine similarity to the query vector, 1 = identical direction. */
  score: number;
}

/**
 * One knowledge base (one account's instance) in one backend. Every implementation passes the
 * contract suite in test/vector/vector-store-contract.ts.
 */
export interface VectorStore {
  readonly backend: VectorBackend;
  /** Where the vectors live, for operators: a table name, or an index and namespace. */
  readonly location: string;
  /** Inserts or overwrites records by id. */
  upsert(records: VectorRecord[]): Promise<void>;
  /**
   * The best matches, never more than topK, best first: by similarity, or, for a backend that
   * also searches by keyword, by the fused rank of both searches.
   */
  query(query: VectorQuery): Promise<VectorMatch[]>;
  /** The records with these ids that exist, with their vectors (used to move vectors between backends). */
  fetch(ids: string[]): Promise<VectorRecord[]>;
  deleteDocument(documentId: string): Promise<void>;
  count(): Promise<number>;
  /** Removes the knowledge base entirely; a later upsert starts afresh. */
  drop(): Promise<void>;
}

export function chunkId(documentId: string, chunkIndex: number): string {
  return `${documentId}:${chunkIndex}`;
}

/** Chunk fields a custom metadata key may not shadow. */
export const RESERVED_METADATA_KEYS: ReadonlySet<string> = new Set([
  "document_id",
  "chunk_index",
  "title",
  "source",
  "content",
  "account_id",
  "instance_id",
]);

/** The one dimension count of a batch (null when empty); mixed lengths are a caller's bug. */
export function sameDimensions(records: ReadonlyArray<{ values: ArrayLike<number> }>): number | null {
  const first = records[0];
  if (first === undefined) return null;
  const dimensions = first.values.length;
  if (dimensions === 0) throw new RangeError("vectors must have at least one dimension");
  for (const record of records) {
    if (record.values.length !== dimensions) {
      throw new RangeError(`every vector must have ${dimensions} dimensions, got ${record.values.length}`);
    }
  }
  return dimensions;
}
