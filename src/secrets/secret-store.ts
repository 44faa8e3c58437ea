import type { KeyObject } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import type { PubSub } from "../cache/cache.ts";
import type { Database } from "../db/client.ts";
import { accountSecrets } from "../db/schema.ts";
import { withAccount } from "../db/tenant-scope.ts";
import { SecretNotFoundError, SecretsKeyNotConfiguredError } from "../errors/app-error.ts";
import { openSecret, sealSecret } from "./secret-cipher.ts";

/** What the API may show of a secret: never its value. */
export interface SecretSummary {
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface SecretChange {
  accountId: string;
  name: string;
}

/** A stored secret that does not open with the configured key (the key was changed). */
export class SecretUnreadableError extends Error {
  override readonly name = "SecretUnreadableError";
}

/** Every replica forgets what it derived from a secret (an MCP session using a token) on change. */
export const SECRET_CHANGES_CHANNEL = "secrets:changed";

const NO_KEY_MESSAGE =
  "Secrets cannot be stored: the operator has not set SWITCHBOARD_SECRETS_KEY (32 random bytes, base64)";

export type SecretStore = ReturnType<typeof createSecretStore>;

/** Per-account secrets, encrypted at rest; values leave this module only through `reveal`. */
export function createSecretStore({
  db,
  key,
  pubsub,
}: {
  db: Database;
  key: KeyObject | null;
  pubsub: PubSub;
}) {
  const listeners = new Set<(change: SecretChange) => void>();
  const associatedData = (accountId: string, name: string) => `${accountId}/${name}`;
  const subscription = pubsub.subscribe(SECRET_CHANGES_CHANNEL, (message) => {
    const change = JSON.parse(message) as SecretChange;
    for (const listener of listeners) listener(change);
  });

  async function announce(accountId: string, name: string) {
    await pubsub.publish(SECRET_CHANGES_CHANNEL, JSON.stringify({ accountId, name }));
  }

  async function put(
    accountId: string,
    name: string,
    value: string,
  ): Promise<{ secret: SecretSummary; created: boolean }> {
    if (!key) throw new SecretsKeyNotConfiguredError(NO_KEY_MESSAGE);
    const sealed = sealSecret(key, value, associatedData(accountId, name));
    const [row] = await withAccount(db, accountId, (transaction) =>
      transaction
        .insert(accountSecrets)
        .values({ accountId, name, ...sealed })
        .onConflictDoUpdate({
          target: [accountSecrets.accountId, accountSecrets.name],
          set: { ...sealed, updatedAt: new Date() },
        })
        .returning({
          name: accountSecrets.name,
          createdAt: accountSecrets.createdAt,
          updatedAt: accountSecrets.updatedAt,
        }),
    );
    if (!row) throw new Error("secret upsert returned no row");
    await announce(accountId, name);
    return { secret: row, created: row.createdAt.getTime() === row.updatedAt.getTime() };
  }

  async function list(accountId: string): Promise<SecretSummary[]> {
    return withAccount(db, accountId, (transaction) =>
      transaction
        .select({
          name: accountSecrets.name,
          createdAt: accountSecrets.createdAt,
          updatedAt: accountSecrets.updatedAt,
        })
        .from(accountSecrets)
        .where(eq(accountSecrets.accountId, accountId))
        .orderBy(asc(accountSecrets.name)),
    );
  }

  async function remove(accountId: string, name: string): Promise<void> {
    const deleted = await withAccount(db, accountId, (transaction) =>
      transaction
        .delete(accountSecrets)
        .where(and(eq(accountSecrets.accountId, accountId), eq(accountSecrets.name, name)))
        .returning({ name: accountSecrets.name }),
    );
    if (deleted.length === 0) throw new SecretNotFoundError(`Secret "${name}" not found`);
    await announce(accountId, name);
  }

  /** The plain value, for the code that sends it on (an MCP server's token); null when absent. */
  async function reveal(accountId: string, name: string): Promise<string | null> {
    const [row] = await withAccount(db, accountId, (transaction) =>
      transaction
        .select()
        .from(accountSecrets)
        .where(and(eq(accountSecrets.accountId, accountId), eq(accountSecrets.name, name)))
        .limit(1),
    );
    if (!row) return null;
    if (!key)
      throw new SecretUnreadableError(`Secret "${name}" cannot be read: no secrets key is configured`);
    try {
      return openSecret(key, row, associatedData(accountId, name));
    } catch {
      throw new SecretUnreadableError(`Secret "${name}" does not open with the configured secrets key`);
    }
  }

  function onChange(listener: (change: SecretChange) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  async function close() {
    await (await subscription)();
  }

  return { put, list, remove, reveal, onChange, close };
}
