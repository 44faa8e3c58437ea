import type { DatabaseHandle } from "../db/client.ts";
import { APP_ROLE } from "../db/tenant-scope.ts";
import { VectorBackendUnavailableError, VectorDimensionsMismatchError } from "../errors/app-error.ts";
import { pgvectorIndexName } from "./vector-names.ts";

/** Names reach DDL only double-quoted, and only names made by vector-names.ts ([a-z0-9_-]). */
function quoted(identifier: string): string {
  if (!/^[a-z0-9_-]{1,63}$/.test(identifier)) throw new TypeError(`unsafe identifier "${identifier}"`);
  return `"${identifier}"`;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Whether this database can hold vectors. PGlite always can (client.ts loads the extension);
 * a PostgreSQL server only when pgvector is installed on it.
 */
export async function pgvectorAvailable(database: DatabaseHandle): Promise<boolean> {
  const [rows] = await database.execBatch(
    "select exists (select 1 from pg_available_extensions where name = 'vector') as available",
  );
  return rows?.[0]?.available === true;
}

/**
 * Creates one knowledge base's table if it is missing: idempotent, and safe when two requests
 * race to create it (a transaction-scoped advisory lock on the name serialises them). Runs as the
 * owner, since the app role may not create tables; the table is then under the same forced
 * row-level security policy as every account table (migration 0001), so data queries made as the
 * app role only ever see the scoped account's rows.
 */
export async function ensureVectorTable(
  database: DatabaseHandle,
  table: string,
  dimensions: number,
): Promise<void> {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 16_000) {
    throw new RangeError(`vector dimensions must be 1 to 16000, got ${dimensions}`);
  }
  const name = quoted(table);
  const policyCheck = `select 1 from pg_policies where schemaname = 'public' and tablename = ${literal(table)} and policyname = 'account_isolation'`;
  const statements = [
    `select pg_advisory_xact_lock(hashtext(${literal(`switchboard:vectors:${table}`)}))`,
    `create table if not exists ${name} (
      id text primary key,
      account_id uuid not null,
      document_id text not null,
      chunk_index integer not null,
      title text not null,
      source text,
      content text not null,
      metadata jsonb not null default '{}'::jsonb,
      embedding vector(${dimensions}) not null,
      search tsvector generated always as (to_tsvector('english', title || ' ' || content)) stored,
      created_at timestamptz not null default now()
    )`,
    hnswIndexStatement(table),
    `create index if not exists ${quoted(pgvectorIndexName(table, "fts"))} on ${name} using gin (search)`,
    `create index if not exists ${quoted(pgvectorIndexName(table, "document"))} on ${name} (document_id)`,
    `alter table ${name} enable row level security`,
    `alter table ${name} force row level security`,
    `do $$ begin
      if not exists (${policyCheck}) then
        create policy account_isolation on ${name}
          using (account_id = nullif(current_setting('app.account_id', true), '')::uuid)
          with check (account_id = nullif(current_setting('app.account_id', true), '')::uuid);
      end if;
    end $$`,
    `grant select, insert, update, delete on ${name} to ${APP_ROLE}`,
    `select format_type(atttypid, atttypmod) as type from pg_attribute
      where attrelid = ${literal(`public.${name}`)}::regclass and attname = 'embedding'`,
  ];
  let results: Array<Record<string, unknown>[]>;
  try {
    results = await database.execBatch(statements.join(";\n"));
  } catch (error) {
    if (!(await pgvectorAvailable(database))) {
      throw new VectorBackendUnavailableError(
        "The pgvector extension is not installed on this PostgreSQL server; install it, or configure Pinecone",
        { cause: error },
      );
    }
    throw error;
  }
  const type = results.at(-1)?.[0]?.type;
  if (type !== `vector(${dimensions})`) {
    throw new VectorDimensionsMismatchError(
      `This knowledge base stores ${String(type)} embeddings but the embedding model gives ${dimensions} dimensions; delete its documents and ingest them again`,
      { details: { stored: String(type), embedding_dimensions: dimensions } },
    );
  }
}

/** On PostgreSQL the extension must be created once per database (PGlite's client does it). */
export async function createVectorExtension(database: DatabaseHandle): Promise<void> {
  try {
    await database.execBatch("create extension if not exists vector");
  } catch (error) {
    throw new VectorBackendUnavailableError(
      "The pgvector extension is not installed on this PostgreSQL server (or this role may not create it)",
      { cause: error },
    );
  }
}

function hnswIndexStatement(table: string): string {
  return `create index if not exists ${quoted(pgvectorIndexName(table, "hnsw"))} on ${quoted(table)} using hnsw (embedding vector_cosine_ops)`;
}

/**
 * Loading many rows into an empty table is several times faster without the HNSW index, built
 * once afterwards, than with the graph updated row by row. Queries meanwhile scan exactly.
 */
export async function dropHnswIndex(database: DatabaseHandle, table: string): Promise<void> {
  await database.execBatch(
    `select pg_advisory_xact_lock(hashtext(${literal(`switchboard:vectors:${table}`)}));
    drop index if exists ${quoted(pgvectorIndexName(table, "hnsw"))}`,
  );
}

/** (Re)builds the HNSW index, with memory enough to build a large graph in memory rather than on disk. */
export async function buildHnswIndex(database: DatabaseHandle, table: string): Promise<void> {
  await database.execBatch(
    `select pg_advisory_xact_lock(hashtext(${literal(`switchboard:vectors:${table}`)}));
    set local maintenance_work_mem = '256MB';
    ${hnswIndexStatement(table)}`,
  );
}

/**
 * Refreshes the planner's statistics. Without them it guesses that the row-level security filter
 * keeps few rows, and sorts a sequential scan instead of using the HNSW index; PGlite has no
 * autovacuum to gather them, so writes that change the table's size much do it themselves.
 */
export async function analyzeVectorTable(database: DatabaseHandle, table: string): Promise<void> {
  await database.execBatch(`analyze ${quoted(table)}`);
}

export async function dropVectorTable(database: DatabaseHandle, table: string): Promise<void> {
  await database.execBatch(`drop table if exists ${quoted(table)}`);
}
