import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAccountBatch } from "../../src/db/account-batch.ts";
import { createDatabase, type DatabaseHandle } from "../../src/db/client.ts";
import { embedText } from "../../src/models/hashing-embedder.ts";
import { vectorLiteral } from "../../src/vector/pgvector-sql.ts";
import { createPgvectorStore } from "../../src/vector/pgvector-store.ts";
import { pgvectorTableName } from "../../src/vector/vector-names.ts";
import { chunkId, type VectorRecord } from "../../src/vector/vector-store.ts";
import { postgresKnowledgeSkipReason } from "../support/pgvector-support.ts";
import { type ContractBackend, describeVectorStoreContract } from "./vector-store-contract.ts";

async function pgliteBackend(): Promise<ContractBackend & { database: DatabaseHandle }> {
  const database = await createDatabase({ driver: "pglite", dataDir: null });
  await database.migrate();
  return {
    database,
    createStore: (scope) =>
      createPgvectorStore({
        database,
        accountId: scope.accountId,
        table: pgvectorTableName(scope.accountSlug, scope.instanceSlug),
      }),
    close: () => database.close(),
  };
}

async function postgresBackend(url: string): Promise<ContractBackend> {
  const name = `switchboard_vectors_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  const database = await createDatabase({ driver: "postgres", url: scratch.toString() });
  await database.migrate();
  return {
    createStore: (scope) =>
      createPgvectorStore({
        database,
        accountId: scope.accountId,
        table: pgvectorTableName(scope.accountSlug, scope.instanceSlug),
      }),
    async close() {
      await database.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

describeVectorStoreContract("pgvector on PGlite", pgliteBackend);

const serverUrl = process.env.DATABASE_URL;
const serverSkipReason = await postgresKnowledgeSkipReason();
describeVectorStoreContract(
  `pgvector on PostgreSQL${serverSkipReason === null ? "" : ` — ${serverSkipReason}`}`,
  () => postgresBackend(serverUrl ?? ""),
  { skip: serverSkipReason !== null },
);

describe("pgvector tables", () => {
  let backend: Awaited<ReturnType<typeof pgliteBackend>>;
  const accountA = randomUUID();
  const accountB = randomUUID();
  const table = pgvectorTableName("tenant-a", "research");

  function record(documentId: string, content: string): VectorRecord {
    return {
      id: chunkId(documentId, 0),
      document_id: documentId,
      chunk_index: 0,
      title: content,
      source: null,
      content,
      metadata: {},
      values: embedText(content),
    };
  }

  beforeAll(async () => {
    backend = await pgliteBackend();
  });
  afterAll(async () => {
    await backend?.close?.();
  });

  it("creates the table on first write under forced row-level security, even with racing writers", async () => {
    const stores = Array.from({ length: 4 }, () =>
      createPgvectorStore({ database: backend.database, accountId: accountA, table }),
    );
    await Promise.all(
      stores.map((store, index) => store.upsert([record(`doc-${index}`, `note number ${index}`)])),
    );
    const [rows] = await backend.database.execBatch(
      `select relrowsecurity, relforcerowsecurity,
        (select count(*)::int from pg_policies where tablename = '${table}') as policies,
        (select count(*)::int from pg_indexes where tablename = '${table}' and indexdef like '%hnsw%vector_cosine_ops%') as hnsw
       from pg_class where relname = '${table}'`,
    );
    expect(rows?.[0]).toEqual({ relrowsecurity: true, relforcerowsecurity: true, policies: 1, hnsw: 1 });
    expect(await stores[0]?.count()).toBe(4);
  });

  it("shows another account nothing of the table, and refuses rows written in its name", async () => {
    const [seen] = await runAccountBatch(backend.database, accountB, [
      sql`select count(*)::int as count from ${sql.identifier(table)}`,
    ]);
    expect(seen?.[0]?.count).toBe(0);
    const smuggled = runAccountBatch(backend.database, accountB, [
      sql`insert into ${sql.identifier(table)} (id, account_id, document_id, chunk_index, title, content, embedding)
        values ('x:0', ${accountA}::uuid, 'x', 0, 't', 'c', ${vectorLiteral(embedText("c"))}::vector)`,
    ]);
    await expect(smuggled).rejects.toThrow(/row-level security/);
  });

  it("loads a large first write without the graph and builds the HNSW index after it", async () => {
    const bulkTable = pgvectorTableName("tenant-a", "bulk");
    const store = createPgvectorStore({ database: backend.database, accountId: accountA, table: bulkTable });
    const records = Array.from({ length: 2_500 }, (_, index) =>
      record(`doc-${index}`, `bulk note ${index} about topic ${index % 7}`),
    );
    await store.upsert(records);
    expect(await store.count()).toBe(2_500);
    const [indexes] = await backend.database.execBatch(
      `select count(*)::int as hnsw from pg_indexes where tablename = '${bulkTable}' and indexdef like '%hnsw%'`,
    );
    expect(indexes?.[0]?.hnsw).toBe(1);
    const [plan] = await runAccountBatch(backend.database, accountA, [
      sql.raw(
        `explain select id from "${bulkTable}" order by embedding <=> '${vectorLiteral(embedText("bulk note 42"))}' limit 5`,
      ),
    ]);
    expect(JSON.stringify(plan)).toContain("Index Scan using");
    const [top] = await store.query({ vector: embedText("bulk note 1234 about topic 2"), topK: 1 });
    expect(top?.document_id).toBe("doc-1234");
  });

  it("ranks a passage that matches the question's words even when its vector is not the closest", async () => {
    const store = createPgvectorStore({
      database: backend.database,
      accountId: accountA,
      table: pgvectorTableName("tenant-a", "hybrid"),
    });
    // The keyword passage is embedded from unrelated text, so only the full-text half can find it.
    await store.upsert([
      {
        ...record("keyword", "Quarterly invoices go to the finance mailbox."),
        values: embedText("weather in spring"),
      },
      record("vector-1", "Holiday requests need two weeks notice."),
      record("vector-2", "Parking spaces are assigned by the office manager."),
    ]);
    const hybrid = await store.query({ vector: embedText("holiday parking"), text: "invoices", topK: 3 });
    expect(hybrid.map((match) => match.document_id)).toContain("keyword");
    const vectorOnly = await store.query({ vector: embedText("holiday parking"), topK: 2 });
    expect(vectorOnly.map((match) => match.document_id)).not.toContain("keyword");
  });
});
