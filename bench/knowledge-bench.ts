import { randomUUID } from "node:crypto";
import { embedMany } from "ai";
import { sql } from "drizzle-orm";
import { runAccountBatch } from "../src/db/account-batch.ts";
import { createDatabase, type DatabaseHandle } from "../src/db/client.ts";
import { createHashingEmbeddingModel, embedText } from "../src/models/hashing-embedder.ts";
import { vectorLiteral } from "../src/vector/pgvector-sql.ts";
import { createPgvectorStore } from "../src/vector/pgvector-store.ts";
import { pgvectorTableName } from "../src/vector/vector-names.ts";
import { chunkId, type VectorRecord, type VectorStore } from "../src/vector/vector-store.ts";
import { type Benchmark, type BenchRow, benchRow } from "./support/bench-result.ts";

/** `KNOWLEDGE_BENCH_SIZES=10000` runs only the small size (a quick look while developing). */
const SIZES = (process.env.KNOWLEDGE_BENCH_SIZES ?? "10000,100000").split(",").map(Number);
const DIMENSIONS = 384;
const QUERIES = 200;
const WARMUP_QUERIES = 20;
/** Exact scans read every row: fewer of them at 100k keep the run to minutes. */
const EXACT_QUERIES = 40;
const TOP_K = 10;
const EMBED_BATCH = 1_000;

/** A deterministic generator, so every run ingests and asks the same text. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * ~400-character passages about one of 300 topics: most words from the topic's own 25, the rest
 * from a 5,000-word vocabulary with a Zipf-like skew. Real knowledge bases cluster by subject
 * like this; uniformly random text would have no neighbours worth finding.
 */
function passageMaker(seed: number): (words: number) => string {
  const random = seeded(seed);
  const topicRandom = seeded(3);
  const vocabulary = Array.from(
    { length: 5_000 },
    (_, index) => `${index.toString(36)}${"aeiouy"[index % 6]}n`,
  );
  const topics = Array.from({ length: 300 }, () =>
    Array.from({ length: 25 }, () => vocabulary[Math.floor(topicRandom() * vocabulary.length)] ?? ""),
  );
  const general = () => vocabulary[Math.floor(random() ** 2.2 * vocabulary.length)] ?? "";
  return (words) => {
    const topic = topics[Math.floor(random() * topics.length)] ?? [];
    return Array.from({ length: words }, () =>
      random() < 0.6 ? (topic[Math.floor(random() * topic.length)] ?? "") : general(),
    ).join(" ");
  };
}

function percentile(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? Number.NaN;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/** Embeds with the hashing embedder through the AI SDK (as ingestion does) and stores in one upsert. */
async function ingest(store: VectorStore, count: number): Promise<number> {
  const model = createHashingEmbeddingModel(DIMENSIONS);
  const next = passageMaker(7);
  const started = performance.now();
  const records: VectorRecord[] = [];
  for (let start = 0; start < count; start += EMBED_BATCH) {
    const texts = Array.from({ length: Math.min(EMBED_BATCH, count - start) }, () => next(60));
    const { embeddings } = await embedMany({ model, values: texts });
    texts.forEach((content, index) => {
      const chunk = start + index;
      const documentId = `doc-${Math.floor(chunk / 20)}`;
      records.push({
        id: chunkId(documentId, chunk % 20),
        document_id: documentId,
        chunk_index: chunk % 20,
        title: `Document ${Math.floor(chunk / 20)}`,
        source: null,
        content,
        metadata: {},
        values: Float32Array.from(embeddings[index] ?? []),
      });
    });
  }
  await store.upsert(records);
  return (count / (performance.now() - started)) * 1_000;
}

/** The same nearest-neighbour query with the index switched off: the exact answer, by brute force. */
async function exactNearest(
  database: DatabaseHandle,
  accountId: string,
  table: string,
  vector: Float32Array,
) {
  const [, , rows] = await runAccountBatch(database, accountId, [
    sql.raw("set local enable_indexscan = off"),
    sql.raw("set local enable_bitmapscan = off"),
    sql`select id from ${sql.identifier(table)} order by embedding <=> ${vectorLiteral(vector)}::vector limit ${TOP_K}`,
  ]);
  return (rows ?? []).map((row) => String(row.id));
}

async function measureSize(size: number): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const database = await createDatabase({ driver: "pglite", dataDir: null });
  try {
    await database.migrate();
    const accountId = randomUUID();
    const table = pgvectorTableName("bench", `kb-${size}`);
    const store = createPgvectorStore({ database, accountId, table });
    const label = `${size / 1_000}k chunks`;

    const ingestion = await ingest(store, size);
    const next = passageMaker(99);
    const questions = Array.from({ length: QUERIES + WARMUP_QUERIES }, () => next(12));
    const vectors = questions.map((question) => embedText(question, DIMENSIONS));

    const hnsw: number[] = [];
    const hybrid: number[] = [];
    const found: string[][] = [];
    for (const [index, vector] of vectors.entries()) {
      const vectorOnly = await timed(() => store.query({ vector, topK: TOP_K }));
      const withWords = await timed(() => store.query({ vector, text: questions[index], topK: TOP_K }));
      if (index < WARMUP_QUERIES) continue;
      hnsw.push(vectorOnly.ms);
      hybrid.push(withWords.ms);
      found.push(vectorOnly.value.map((match) => match.id));
    }
    const exact: number[] = [];
    let recalled = 0;
    const exactCount = size > 20_000 ? EXACT_QUERIES : QUERIES;
    for (let index = 0; index < exactCount; index += 1) {
      const truth = await timed(() =>
        exactNearest(database, accountId, table, vectors[WARMUP_QUERIES + index] as Float32Array),
      );
      exact.push(truth.ms);
      const approximate = new Set(found[index]);
      recalled += truth.value.filter((id) => approximate.has(id)).length / TOP_K;
    }
    for (const list of [hnsw, hybrid, exact]) list.sort((left, right) => left - right);
    const exactP50 = percentile(exact, 0.5);
    const subject = `pgvector HNSW, ${label}`;
    return {
      rows: [
        benchRow({
          subject: `ingest ${label}`,
          metric: "ingestion",
          value: ingestion,
          unit: "chunks/s",
          target: { of: "value", atLeast: 3_000 },
        }),
        benchRow({
          subject,
          metric: "query p50",
          value: percentile(hnsw, 0.5),
          unit: "ms",
          baseline: exactP50,
        }),
        benchRow({
          subject,
          metric: "query p95",
          value: percentile(hnsw, 0.95),
          unit: "ms",
          ...(size >= 100_000 ? { target: { of: "value" as const, atMost: 2 } } : {}),
        }),
        benchRow({
          subject: `hybrid (vector + keywords), ${label}`,
          metric: "query p50",
          value: percentile(hybrid, 0.5),
          unit: "ms",
        }),
        benchRow({
          subject: `hybrid (vector + keywords), ${label}`,
          metric: "query p95",
          value: percentile(hybrid, 0.95),
          unit: "ms",
        }),
        benchRow({ subject: `exact scan, ${label}`, metric: "query p50", value: exactP50, unit: "ms" }),
        benchRow({
          subject,
          metric: "speed-up vs exact",
          value: exactP50 / percentile(hnsw, 0.5),
          unit: "×",
          ...(size >= 100_000 ? { target: { of: "value" as const, atLeast: 50 } } : {}),
        }),
        benchRow({
          subject,
          metric: "recall@10",
          value: recalled / exactCount,
          unit: "",
          ...(size >= 100_000 ? { target: { of: "value" as const, atLeast: 0.95 } } : {}),
        }),
      ],
      notes: [
        `${label}: ${QUERIES} timed queries after ${WARMUP_QUERIES} warm-up ones; recall against ${exactCount} exact scans.`,
      ],
    };
  } finally {
    await database.close();
  }
}

export const knowledgeBench: Benchmark = {
  name: "knowledge",
  description:
    "Knowledge base on pgvector in PGlite (in process): ingestion with the hashing embedder, HNSW " +
    "query latency at 10k and 100k chunks of 384 dimensions, against an exact scan of the same table",
  async run() {
    const rows: BenchRow[] = [];
    const notes: string[] = [
      "Every query runs as the app role under row-level security through runAccountBatch, as search does.",
      "Ingestion is the first load of an empty table: rows first, then one HNSW build (pgvector-store.ts).",
    ];
    for (const size of SIZES) {
      const measured = await measureSize(size);
      rows.push(...measured.rows);
      notes.push(...measured.notes);
    }
    return { rows, notes };
  },
};
