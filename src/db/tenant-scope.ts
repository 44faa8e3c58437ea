import type { ExtractTablesWithRelations } from "drizzle-orm";
import { sql } from "drizzle-orm";
import type { PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type { Database, Schema } from "./client.ts";

export type ScopedTransaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

/** The role without BYPASSRLS that every account query runs as (migration 0001). */
export const APP_ROLE = "switchboard_app";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Account ids are inlined into batch scopes, so only a well-formed uuid may pass. */
export function assertAccountId(accountId: string): void {
  if (!UUID_PATTERN.test(accountId)) throw new TypeError("an account scope needs an account id (uuid)");
}

/**
 * The one way to reach account data. The transaction runs as the RLS-bound role with the account
 * named in a transaction-local setting, so even a query that forgets its account filter sees only
 * this account's rows, and a pooled connection never carries the setting into another request.
 */
export async function withAccount<T>(
  db: Database,
  accountId: string,
  work: (transaction: ScopedTransaction) => Promise<T>,
): Promise<T> {
  assertAccountId(accountId);
  return db.transaction(async (transaction) => {
    // One statement for both settings: one round trip instead of two.
    await transaction.execute(
      sql`select set_config('role', ${APP_ROLE}, true), set_config('app.account_id', ${accountId}, true)`,
    );
    return work(transaction);
  });
}

/**
 * Resolving an API key happens before any account is known: the transaction runs as the app
 * role and may see only the key row whose hash it presents (policy api_key_lookup).
 */
export async function withKeyLookup<T>(
  db: Database,
  keyHash: string,
  work: (transaction: ScopedTransaction) => Promise<T>,
): Promise<T> {
  return db.transaction(async (transaction) => {
    await transaction.execute(
      sql`select set_config('role', ${APP_ROLE}, true), set_config('app.api_key_hash', ${keyHash}, true)`,
    );
    return work(transaction);
  });
}
