import { and, eq, isNull, sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import type { Database } from "../db/client.ts";
import { accounts, agentInstances, apiKeys, usage } from "../db/schema.ts";
import { APP_ROLE, withAccount, withKeyLookup } from "../db/tenant-scope.ts";
import { AccountNotFoundError, AccountSlugTakenError } from "../errors/app-error.ts";
import { type AccountSettings, readAccountSettings } from "./account-settings.ts";
import { displayPrefix, generateApiKey, hashApiKey, looksLikeAccountKey } from "./api-keys.ts";
import { TIER_LIMITS, type Tier, type TierLimits } from "./tiers.ts";

export interface Account {
  id: string;
  slug: string;
  name: string;
  tier: Tier;
  status: "active" | "suspended";
  created_at: string;
  settings: AccountSettings;
}

export interface AccountUsage {
  today: { day: string; requests: number; input_tokens: number; output_tokens: number };
  instances: { total: number; by_type: Record<string, number> };
}

export interface CreatedAccount {
  account: Account;
  /** Shown once; only its hash is stored. */
  api_key: string;
}

type AccountRow = typeof accounts.$inferSelect;

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    tier: row.tier,
    status: row.status,
    created_at: row.createdAt.toISOString(),
    settings: readAccountSettings(row.settings),
  };
}

function isUniqueViolation(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if ((current as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

export type AccountService = ReturnType<typeof createAccountService>;

export function createAccountService({ db }: { db: Database }) {
  // Key resolution runs on every request; a short TTL bounds how long a revoked key keeps working.
  const keyCache = new LRUCache<string, { accountId: string }>({ max: 10_000, ttl: 30_000 });
  const accountCache = new LRUCache<string, Account>({ max: 10_000, ttl: 5_000 });

  async function create(input: { slug: string; name: string; tier: Tier }): Promise<CreatedAccount> {
    const key = generateApiKey();
    try {
      const row = await db.transaction(async (transaction) => {
        const [inserted] = await transaction
          .insert(accounts)
          .values({ slug: input.slug, name: input.name, tier: input.tier })
          .returning();
        if (!inserted) throw new Error("account insert returned no row");
        await transaction.execute(
          sql`select set_config('role', ${APP_ROLE}, true), set_config('app.account_id', ${inserted.id}, true)`,
        );
        await transaction.insert(apiKeys).values({
          accountId: inserted.id,
          name: "default",
          prefix: displayPrefix(key),
          keyHash: hashApiKey(key),
        });
        return inserted;
      });
      return { account: toAccount(row), api_key: key };
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AccountSlugTakenError(`An account with slug "${input.slug}" already exists`);
      }
      throw error;
    }
  }

  async function findBySlug(slug: string): Promise<Account | null> {
    const cached = accountCache.get(slug);
    if (cached) return cached;
    const [row] = await db.select().from(accounts).where(eq(accounts.slug, slug)).limit(1);
    if (!row) return null;
    const account = toAccount(row);
    accountCache.set(slug, account);
    return account;
  }

  async function findById(id: string): Promise<Account | null> {
    const cached = accountCache.get(`id:${id}`);
    if (cached) return cached;
    const [row] = await db.select().from(accounts).where(eq(accounts.id, id)).limit(1);
    if (!row) return null;
    const account = toAccount(row);
    accountCache.set(`id:${id}`, account);
    return account;
  }

  async function getBySlug(slug: string): Promise<Account> {
    const account = await findBySlug(slug);
    if (!account) throw new AccountNotFoundError(`Account "${slug}" not found`);
    return account;
  }

  async function list(): Promise<Account[]> {
    const rows = await db.select().from(accounts).orderBy(accounts.createdAt);
    return rows.map(toAccount);
  }

  /** The account a key belongs to, or null for an unknown or revoked key. */
  async function resolveApiKey(key: string): Promise<{ accountId: string } | null> {
    if (!looksLikeAccountKey(key) || key.length > 200) return null;
    const keyHash = hashApiKey(key);
    const cached = keyCache.get(keyHash);
    if (cached) return cached;
    const [row] = await withKeyLookup(db, keyHash, (transaction) =>
      transaction
        .select({ accountId: apiKeys.accountId })
        .from(apiKeys)
        .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
        .limit(1),
    );
    if (!row) return null;
    keyCache.set(keyHash, row);
    return row;
  }

  async function createApiKey(accountId: string, name: string): Promise<{ api_key: string; prefix: string }> {
    const key = generateApiKey();
    await withAccount(db, accountId, (transaction) =>
      transaction
        .insert(apiKeys)
        .values({ accountId, name, prefix: displayPrefix(key), keyHash: hashApiKey(key) }),
    );
    return { api_key: key, prefix: displayPrefix(key) };
  }

  async function getUsage(accountId: string, now = new Date()): Promise<AccountUsage> {
    const day = now.toISOString().slice(0, 10);
    return withAccount(db, accountId, async (transaction) => {
      const [today] = await transaction
        .select()
        .from(usage)
        .where(and(eq(usage.accountId, accountId), eq(usage.day, day)));
      const counts = await transaction
        .select({ type: agentInstances.type, count: sql<number>`count(*)::int` })
        .from(agentInstances)
        .where(and(eq(agentInstances.accountId, accountId), sql`${agentInstances.status} <> 'archived'`))
        .groupBy(agentInstances.type);
      const byType = Object.fromEntries(counts.map((entry) => [entry.type, entry.count]));
      return {
        today: {
          day,
          requests: today?.requests ?? 0,
          input_tokens: today?.inputTokens ?? 0,
          output_tokens: today?.outputTokens ?? 0,
        },
        instances: { total: counts.reduce((sum, entry) => sum + entry.count, 0), by_type: byType },
      };
    });
  }

  /**
   * Moves the account to another tier. Only the account row changes here; what the tier change
   * means for the account's data (its knowledge's vector backend) is the caller's to carry out.
   */
  async function updateSettings(account: Account, settings: AccountSettings): Promise<Account> {
    const [row] = await db
      .update(accounts)
      .set({ settings, updatedAt: new Date() })
      .where(eq(accounts.id, account.id))
      .returning();
    if (!row) throw new AccountNotFoundError(`Account "${account.slug}" not found`);
    const updated = toAccount(row);
    accountCache.set(updated.slug, updated);
    accountCache.set(`id:${updated.id}`, updated);
    return updated;
  }

  async function setTier(accountId: string, tier: Tier): Promise<Account> {
    const [row] = await db
      .update(accounts)
      .set({ tier, updatedAt: new Date() })
      .where(eq(accounts.id, accountId))
      .returning();
    if (!row) throw new AccountNotFoundError("Account not found");
    const account = toAccount(row);
    // Other replicas pick the new tier up when their short-lived cache entries expire.
    accountCache.delete(account.slug);
    accountCache.delete(`id:${account.id}`);
    return account;
  }

  function limitsOf(account: Account): TierLimits {
    return TIER_LIMITS[account.tier];
  }

  return {
    create,
    findBySlug,
    findById,
    getBySlug,
    list,
    resolveApiKey,
    createApiKey,
    getUsage,
    setTier,
    updateSettings,
    limitsOf,
  };
}
