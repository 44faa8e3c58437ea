import { type SQL, sql } from "drizzle-orm";
import { runAccountBatch } from "../db/account-batch.ts";
import type { DatabaseHandle } from "../db/client.ts";
import {
  filterCondition,
  hybridQuery,
  keywordQuery,
  parseVectorText,
  vectorLiteral,
  vectorQuery,
} from "./pgvector-sql.ts";
import {
  analyzeVectorTable,
  buildHnswIndex,
  createVectorExtension,
  dropHnswIndex,
  dropVectorTable,
  ensureVectorTable,
} from "./pgvector-table.ts";
import { postgresErrorCode, UNDEFINED_TABLE } from "./postgres-error.ts";
import {
  type ChunkFields,
  type MetadataValue,
  sameDimensions,
  type VectorMatch,
  type VectorRecord,
  type VectorStore,
} from "./vector-store.ts";

/** Rows per INSERT statement, and per round trip (one transaction each). */
const ROWS_PER_STATEMENT = 500;
const ROWS_PER_ROUND_TRIP = 5_000;
/** A write this large into an empty table loads first and builds the HNSW index after. */
const BULK_LOAD_ROWS = 2_000;
/** Rows written since the last refresh of the planner's statistics that trigger the next (see analyzeVectorTable). */
const ANALYZE_AFTER_ROWS = 200;
/** Candidates each half of the hybrid search contributes before fusion. */
const MIN_CANDIDATES = 30;
/**
 * HNSW's search breadth grows with the table: 40 plus one per 400 rows, at most 400. On topical
 * text embeddings (bench/knowledge-bench.ts) that keeps recall@10 near 0.98 at 10k rows and near
 * 0.96 at 100k, where a fixed 40 finds only 0.72 of the true ten; every candidate costs distance
 * computations, which are slow in WebAssembly, so small tables keep a small breadth.
 */
const EF_SEARCH_BASE = 40;
const ROWS_PER_EXTRA_CANDIDATE = 400;
const EF_SEARCH_MAX = 400;

export interface PgvectorStoreOptions {
  database: DatabaseHandle;
  accountId: string;
  table: string;
  /** Tables this process already made sure of, shared across stores so each is checked once. */
  ensuredTables?: Set<string>;
  /** Rows written per table since its statistics were last refreshed, shared like ensuredTables. */
  writtenSinceAnalyze?: Map<string, number>;
}

type Row = Record<string, unknown>;

function toFields(row: Row): ChunkFields & { id: string } {
  return {
    id: String(row.id),
    document_id: String(row.document_id),
    chunk_index: Number(row.chunk_index),
    title: String(row.title),
    source: row.source === null || row.source === undefined ? null : String(row.source),
    content: String(row.content),
    metadata: (typeof row.metadata === "string" ? JSON.parse(row.metadata) : row.metadata) as Record<
      string,
      MetadataValue
    >,
  };
}

export function createPgvectorStore(options: PgvectorStoreOptions): VectorStore {
  const { database, accountId, table } = options;
  const ensured = options.ensuredTables ?? new Set<string>();
  const written = options.writtenSinceAnalyze ?? new Map<string, number>();

  /** The table is made on first write, sized to that write's vectors (the embedding model's). */
  async function ensure(dimensions: number): Promise<void> {
    if (ensured.has(table)) return;
    if (database.driver === "postgres") await createVectorExtension(database);
    await ensureVectorTable(database, table, dimensions);
    ensured.add(table);
  }

  /** Reads from a table that was never created (or was dropped) find nothing rather than fail. */
  async function read(statements: SQL[]): Promise<Row[][] | null> {
    try {
      return await runAccountBatch(database, accountId, statements);
    } catch (error) {
      if (postgresErrorCode(error) === UNDEFINED_TABLE) {
        ensured.delete(table);
        return null;
      }
      throw error;
    }
  }

  async function isEmpty(): Promise<boolean> {
    const results = await read([sql`select not exists (select 1 from ${sql.identifier(table)}) as empty`]);
    return results?.[0]?.[0]?.empty !== false;
  }

  function insertStatement(records: VectorRecord[]): SQL {
    const rows = records.map((record) => {
      return sql`(${record.id}, ${accountId}::uuid, ${record.document_id}, ${record.chunk_index}, ${record.title},
        ${record.source}, ${record.content}, ${JSON.stringify(record.metadata)}::jsonb, ${vectorLiteral(record.values)}::vector)`;
    });
    return sql`insert into ${sql.identifier(table)}
      (id, account_id, document_id, chunk_index, title, source, content, metadata, embedding)
      values ${sql.join(rows, sql`, `)}
      on conflict (id) do update set document_id = excluded.document_id, chunk_index = excluded.chunk_index,
        title = excluded.title, source = excluded.source, content = excluded.content,
        metadata = excluded.metadata, embedding = excluded.embedding`;
  }

  return {
    backend: "pgvector",
    location: table,

    async upsert(records) {
      const dimensions = sameDimensions(records);
      if (dimensions === null) return;
      await ensure(dimensions);
      const write = async (group: VectorRecord[]) => {
        const statements: SQL[] = [];
        for (let start = 0; start < group.length; start += ROWS_PER_STATEMENT) {
          statements.push(insertStatement(group.slice(start, start + ROWS_PER_STATEMENT)));
        }
        try {
          await runAccountBatch(database, accountId, statements);
        } catch (error) {
          // Another replica dropped the table (a tier migration) after this one created it.
          if (postgresErrorCode(error) !== UNDEFINED_TABLE) throw error;
          ensured.delete(table);
          await ensure(dimensions);
          await runAccountBatch(database, accountId, statements);
        }
      };
      const bulk = records.length >= BULK_LOAD_ROWS && (await isEmpty());
      if (bulk) await dropHnswIndex(database, table);
      try {
        for (let start = 0; start < records.length; start += ROWS_PER_ROUND_TRIP) {
          await write(records.slice(start, start + ROWS_PER_ROUND_TRIP));
        }
      } finally {
        if (bulk) await buildHnswIndex(database, table);
      }
      const unanalyzed = (written.get(table) ?? 0) + records.length;
      written.set(table, unanalyzed);
      if (bulk || unanalyzed >= ANALYZE_AFTER_ROWS) {
        await analyzeVectorTable(database, table);
        written.delete(table);
      }
    },

    async query(query): Promise<VectorMatch[]> {
      const topK = Math.max(1, Math.floor(query.topK));
      const vector = vectorLiteral(query.vector);
      const filter = filterCondition(query.filter);
      const keywords = keywordQuery(query.text);
      const candidates = Math.max(topK * 4, MIN_CANDIDATES);
      const search =
        keywords === null
          ? vectorQuery(table, vector, filter, topK)
          : hybridQuery(table, vector, keywords, filter, topK, candidates);
      const results = await read([
        // The row count the last ANALYZE saw, read in the same round trip as the search.
        sql`select set_config('hnsw.ef_search', least(${EF_SEARCH_MAX}, greatest(${candidates},
          ${EF_SEARCH_BASE} + reltuples::int / ${ROWS_PER_EXTRA_CANDIDATE}))::text, true)
          from pg_class where oid = to_regclass(${`public."${table}"`})`,
        // With a filter the index may skip rows that fail it; iterative scans keep going until topK pass.
        sql.raw("set local hnsw.iterative_scan = relaxed_order"),
        search,
      ]);
      const rows = results?.[2] ?? [];
      return rows.map((row) => ({ ...toFields(row), score: Number(row.score) }));
    },

    async fetch(ids) {
      if (ids.length === 0) return [];
      const results = await read([
        sql`select id, document_id, chunk_index, title, source, content, metadata, embedding::text as embedding
          from ${sql.identifier(table)} where id in (${sql.join(
            ids.map((id) => sql`${id}`),
            sql`, `,
          )}) order by document_id, chunk_index`,
      ]);
      return (results?.[0] ?? []).map((row) => ({
        ...toFields(row),
        values: parseVectorText(String(row.embedding)),
      }));
    },

    async deleteDocument(documentId) {
      await read([sql`delete from ${sql.identifier(table)} where document_id = ${documentId}`]);
    },

    async count() {
      const results = await read([sql`select count(*)::int as count from ${sql.identifier(table)}`]);
      return Number(results?.[0]?.[0]?.count ?? 0);
    },

    async drop() {
      await dropVectorTable(database, table);
      ensured.delete(table);
    },
  };
}
