import { and, asc, eq, ne, sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import type { Account } from "../accounts/account-service.ts";
import { TIER_LIMITS } from "../accounts/tiers.ts";
import type { PubSub } from "../cache/cache.ts";
import type { AgentConfig, AgentType } from "../config/agent-config.ts";
import { resolveAgentConfig, type TemplateSet } from "../config/templates.ts";
import type { Database } from "../db/client.ts";
import { agentInstances } from "../db/schema.ts";
import { type ScopedTransaction, withAccount } from "../db/tenant-scope.ts";
import {
  AgentNotFoundError,
  AgentSlugTakenError,
  AppError,
  InstanceLimitReachedError,
} from "../errors/app-error.ts";

export type InstanceStatus = "active" | "inactive" | "archived";

export interface AgentInstance {
  id: string;
  accountId: string;
  slug: string;
  name: string;
  type: AgentType;
  status: InstanceStatus;
  version: number;
  overrides: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

type InstanceRow = typeof agentInstances.$inferSelect;

function toInstance(row: InstanceRow): AgentInstance {
  return {
    id: row.id,
    accountId: row.accountId,
    slug: row.slug,
    name: row.name,
    type: row.type as AgentType,
    status: row.status,
    version: row.version,
    overrides: row.config,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export type ConfigResolution = { ok: true; config: AgentConfig } | { ok: false; error: AppError };

export type InstanceService = ReturnType<typeof createInstanceService>;

export interface InstanceChange {
  accountId: string;
  slug: string;
}

/** Every replica drops its cached copy when any replica changes an instance. */
export const INSTANCE_CHANGES_CHANNEL = "instances:changed";

export function createInstanceService({
  db,
  templates,
  pubsub,
  checkConfig,
}: {
  db: Database;
  templates: TemplateSet;
  pubsub: PubSub;
  /** Rules beyond the schema that need the platform's settings (the MCP address policy). */
  checkConfig?: (config: AgentConfig) => void;
}) {
  // Chat resolves an instance on every turn; the cache saves that transaction. Changes are
  // published, so a config update is seen by every replica's next request.
  const instancesBySlug = new LRUCache<string, AgentInstance>({ max: 20_000 });
  const instancesByAccount = new LRUCache<string, AgentInstance[]>({ max: 5_000 });
  const changeListeners = new Set<(change: InstanceChange) => void>();

  function forget(change: InstanceChange) {
    instancesBySlug.delete(`${change.accountId}:${change.slug}`);
    instancesByAccount.delete(change.accountId);
    for (const listener of changeListeners) listener(change);
  }

  const subscription = pubsub.subscribe(INSTANCE_CHANGES_CHANNEL, (message) => {
    forget(JSON.parse(message) as InstanceChange);
  });

  async function announce(accountId: string, slug: string) {
    const change = { accountId, slug };
    // Forget locally at once; the message reaches the other replicas (and echoes back here).
    forget(change);
    await pubsub.publish(INSTANCE_CHANGES_CHANNEL, JSON.stringify(change));
  }
  // Keyed by id + version: a config update bumps the version, so the next read misses and
  // rebuilds, while an unchanged instance is never re-merged.
  const effectiveConfigs = new LRUCache<string, ConfigResolution>({ max: 5_000 });

  function effectiveConfig(instance: AgentInstance): ConfigResolution {
    const key = `${instance.id}:${instance.version}`;
    const cached = effectiveConfigs.get(key);
    if (cached) return cached;
    let resolution: ConfigResolution;
    try {
      resolution = { ok: true, config: resolveAgentConfig(templates, instance.type, instance.overrides) };
    } catch (error) {
      if (!AppError.isInstance(error)) throw error;
      resolution = { ok: false, error };
    }
    effectiveConfigs.set(key, resolution);
    return resolution;
  }

  async function findRow(transaction: ScopedTransaction, accountId: string, slug: string) {
    const [row] = await transaction
      .select()
      .from(agentInstances)
      .where(and(eq(agentInstances.accountId, accountId), eq(agentInstances.slug, slug)))
      .limit(1);
    return row;
  }

  /** Live (non-archived) instances, cached: the router reads them on every unified-chat turn. */
  async function listLive(account: Account): Promise<AgentInstance[]> {
    const cached = instancesByAccount.get(account.id);
    if (cached) return cached;
    const live = await list(account);
    instancesByAccount.set(account.id, live);
    return live;
  }

  async function list(
    account: Account,
    options: { includeArchived?: boolean } = {},
  ): Promise<AgentInstance[]> {
    const rows = await withAccount(db, account.id, (transaction) =>
      transaction
        .select()
        .from(agentInstances)
        .where(
          options.includeArchived
            ? eq(agentInstances.accountId, account.id)
            : and(eq(agentInstances.accountId, account.id), ne(agentInstances.status, "archived")),
        )
        .orderBy(asc(agentInstances.createdAt), asc(agentInstances.slug)),
    );
    return rows.map(toInstance);
  }

  async function get(account: Account, slug: string): Promise<AgentInstance> {
    const key = `${account.id}:${slug}`;
    const cached = instancesBySlug.get(key);
    if (cached) return cached;
    const row = await withAccount(db, account.id, (transaction) => findRow(transaction, account.id, slug));
    if (!row) throw new AgentNotFoundError(`Agent "${slug}" not found`);
    const instance = toInstance(row);
    instancesBySlug.set(key, instance);
    return instance;
  }

  /** Counts live instances of a type under a per-account, per-type lock so two concurrent
   * provisions cannot both squeeze under the tier limit. */
  async function assertBelowLimit(transaction: ScopedTransaction, account: Account, type: AgentType) {
    await transaction.execute(sql`select pg_advisory_xact_lock(hashtext(${`${account.id}:${type}`}))`);
    const [counted] = await transaction
      .select({ count: sql<number>`count(*)::int` })
      .from(agentInstances)
      .where(
        and(
          eq(agentInstances.accountId, account.id),
          eq(agentInstances.type, type),
          ne(agentInstances.status, "archived"),
        ),
      );
    const limit = TIER_LIMITS[account.tier].max_instances_per_type;
    if ((counted?.count ?? 0) >= limit) {
      throw new InstanceLimitReachedError(
        `The ${account.tier} tier allows ${limit} active or inactive ${type} instance(s); archive one or upgrade the tier`,
        { details: { tier: account.tier, type, limit } },
      );
    }
  }

  async function provision(
    account: Account,
    input: {
      type: AgentType;
      slug: string;
      name?: string | undefined;
      config?: Record<string, unknown> | undefined;
    },
  ): Promise<AgentInstance> {
    const overrides = input.config ?? {};
    // Validate before touching the database: a bad override is the caller's error, not a conflict.
    checkConfig?.(resolveAgentConfig(templates, input.type, overrides));
    const row = await withAccount(db, account.id, async (transaction) => {
      await assertBelowLimit(transaction, account, input.type);
      if (await findRow(transaction, account.id, input.slug)) {
        throw new AgentSlugTakenError(`An agent with slug "${input.slug}" already exists in this account`);
      }
      const [inserted] = await transaction
        .insert(agentInstances)
        .values({
          accountId: account.id,
          slug: input.slug,
          name: input.name ?? input.slug,
          type: input.type,
          config: overrides,
        })
        .returning();
      return inserted;
    });
    if (!row) throw new Error("instance insert returned no row");
    await announce(account.id, row.slug);
    return toInstance(row);
  }

  async function updateConfig(
    account: Account,
    slug: string,
    overrides: Record<string, unknown>,
  ): Promise<AgentInstance> {
    const current = await get(account, slug);
    checkConfig?.(resolveAgentConfig(templates, current.type, overrides));
    const [row] = await withAccount(db, account.id, (transaction) =>
      transaction
        .update(agentInstances)
        .set({ config: overrides, version: sql`${agentInstances.version} + 1`, updatedAt: new Date() })
        .where(and(eq(agentInstances.accountId, account.id), eq(agentInstances.slug, slug)))
        .returning(),
    );
    if (!row) throw new AgentNotFoundError(`Agent "${slug}" not found`);
    await announce(account.id, slug);
    return toInstance(row);
  }

  async function setStatus(account: Account, slug: string, status: InstanceStatus): Promise<AgentInstance> {
    const row = await withAccount(db, account.id, async (transaction) => {
      const current = await findRow(transaction, account.id, slug);
      if (!current) throw new AgentNotFoundError(`Agent "${slug}" not found`);
      if (current.status === status) return current;
      // Bringing an instance back from the archive counts against the tier again.
      if (current.status === "archived")
        await assertBelowLimit(transaction, account, current.type as AgentType);
      const [updated] = await transaction
        .update(agentInstances)
        .set({ status, version: sql`${agentInstances.version} + 1`, updatedAt: new Date() })
        .where(eq(agentInstances.id, current.id))
        .returning();
      return updated;
    });
    if (!row) throw new AgentNotFoundError(`Agent "${slug}" not found`);
    await announce(account.id, slug);
    return toInstance(row);
  }

  function onChange(listener: (change: InstanceChange) => void): () => void {
    changeListeners.add(listener);
    return () => changeListeners.delete(listener);
  }

  async function close() {
    await (await subscription)();
  }

  return { list, listLive, get, provision, updateConfig, setStatus, effectiveConfig, onChange, close };
}
