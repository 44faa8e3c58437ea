import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { sql } from "drizzle-orm";
import { drizzle as drizzleNodePostgres } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePostgres } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import type { DatabaseSettings } from "../config/settings.ts";
import * as schema from "./schema.ts";

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle {
  readonly driver: DatabaseSettings["driver"];
  /** The owner connection. Account data must go through withAccount(), never this directly. */
  readonly db: Database;
  /**
   * Sends several statements as one simple-protocol query: one round trip, run by the server as
   * one implicit transaction (all or nothing). Returns each statement's rows. Callers must inline
   * values safely: see runAccountBatch.
   */
  execBatch(text: string): Promise<Array<Record<string, unknown>[]>>;
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle", import.meta.url));

export async function createDatabase(
  settings: DatabaseSettings,
  options: { poolSize?: number } = {},
): Promise<DatabaseHandle> {
  if (settings.driver === "postgres") {
    const pool = new pg.Pool({ connectionString: settings.url, max: options.poolSize ?? 10 });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on("error", () => {});
    const db = drizzleNodePostgres({ client: pool, schema });
    return {
      driver: "postgres",
      db,
      execBatch: async (text) => {
        // pg answers one statement with a result and several with an array of them.
        const result = (await pool.query(text)) as unknown as pg.QueryResult | pg.QueryResult[];
        return (Array.isArray(result) ? result : [result]).map((entry) => entry.rows);
      },
      migrate: () => migrateNodePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER }),
      ping: async () => {
        await db.execute(sql`select 1`);
      },
      close: () => pool.end(),
    };
  }

  if (settings.dataDir !== null) mkdirSync(settings.dataDir, { recursive: true });
  const client = await PGlite.create({
    ...(settings.dataDir === null ? {} : { dataDir: settings.dataDir }),
    extensions: { vector },
  });
  await client.exec("CREATE EXTENSION IF NOT EXISTS vector");
  const db = drizzlePglite({ client, schema });
  return {
    driver: "pglite",
    db,
    execBatch: async (text) => {
      const results = await client.exec(text);
      return results.map((entry) => entry.rows as Record<string, unknown>[]);
    },
    migrate: () => migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER }),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => client.close(),
  };
}
