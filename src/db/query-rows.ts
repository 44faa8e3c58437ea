import type { SQL } from "drizzle-orm";

/** Anything that runs raw SQL: the database or a transaction, on either driver. */
interface SqlExecutor {
  execute(query: SQL): PromiseLike<unknown>;
}

/**
 * Raw SQL results differ by driver (pg's QueryResult, PGlite's Results) but both carry `rows`;
 * this is the one place that relies on it.
 */
export async function queryRows<Row extends Record<string, unknown>>(
  executor: SqlExecutor,
  query: SQL,
): Promise<Row[]> {
  const result = (await executor.execute(query)) as { rows: Row[] };
  return result.rows;
}
