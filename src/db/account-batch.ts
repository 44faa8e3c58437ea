import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { DatabaseHandle } from "./client.ts";
import { APP_ROLE, assertAccountId } from "./tenant-scope.ts";

const dialect = new PgDialect();

/**
 * Values are inlined by Drizzle's renderer, which doubles single quotes; that is a complete
 * escape only with standard_conforming_strings on, so the batch turns it on itself. A NUL byte
 * cannot be stored in text and would cut a simple-protocol query short, so it is refused here.
 */
function renderStatement(statement: SQL): string {
  const { sql: text, params } = dialect.sqlToQuery(statement.inlineParams());
  if (params.length > 0) throw new Error("account batch statements must have every value inlined");
  if (text.includes("\u0000")) throw new RangeError("text values must not contain NUL bytes");
  return text;
}

/**
 * Runs statements for one account in a single round trip and a single transaction, under
 * row-level security exactly like withAccount(): the first statement switches to the app role and
 * names the account, transaction-locally, before anything touches account data.
 */
export async function runAccountBatch(
  database: DatabaseHandle,
  accountId: string,
  statements: SQL[],
): Promise<Array<Record<string, unknown>[]>> {
  assertAccountId(accountId);
  const scope =
    "select set_config('standard_conforming_strings', 'on', true), " +
    `set_config('role', '${APP_ROLE}', true), set_config('app.account_id', '${accountId}', true)`;
  const text = [scope, ...statements.map(renderStatement)].join(";\n");
  const results = await database.execBatch(text);
  return results.slice(1);
}
