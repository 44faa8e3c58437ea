import { randomBytes } from "node:crypto";
import pg from "pg";

/** The PostgreSQL the benchmarks use; `BENCH_DATABASE_URL` names another (a role that may create databases). */
export function benchPostgresUrl(): string {
  return process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
}

export interface ScratchDatabase {
  name: string;
  url: string;
}

async function runAdminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: benchPostgresUrl() });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * A database of its own for one benchmark, dropped afterwards whatever happens: a fresh database
 * also means a freshly seeded demo account, whose key the server announces only on first start.
 */
export async function withScratchDatabase<Result>(
  body: (database: ScratchDatabase) => Promise<Result>,
): Promise<Result> {
  const name = `switchboard_bench_${process.pid}_${randomBytes(4).toString("hex")}`;
  try {
    await runAdminQuery(`CREATE DATABASE ${name}`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `cannot create a scratch database on ${benchPostgresUrl()} (${reason}); set BENCH_DATABASE_URL`,
    );
  }
  const url = new URL(benchPostgresUrl());
  url.pathname = `/${name}`;
  try {
    return await body({ name, url: url.toString() });
  } finally {
    // FORCE: a server child killed mid-run may still hold connections.
    await runAdminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}
