import { LRUCache } from "lru-cache";
import type { AgentType } from "../config/agent-config.ts";
import { buildRoutingProfile, type RoutingProfile, routingProfileKey } from "./instance-profile.ts";
import type { RoutableInstance } from "./routing-types.ts";

/** An active instance with its routing profile. */
export interface IndexedInstance {
  readonly instance: RoutableInstance;
  readonly profile: RoutingProfile;
}

/** One account's active instances, ready for the fast stage. */
export interface RoutingIndex {
  readonly fingerprint: string;
  readonly entries: readonly IndexedInstance[];
  readonly byType: ReadonlyMap<AgentType, readonly IndexedInstance[]>;
  readonly bySlug: ReadonlyMap<string, IndexedInstance>;
}

export interface RoutingIndexStore {
  /** The account's index, rebuilt only when its active instances' (id, version) list changed. */
  indexFor(accountId: string, instances: readonly RoutableInstance[]): RoutingIndex;
  /** How many profiles were embedded from scratch; lets tests see what was (not) re-embedded. */
  readonly profileBuilds: number;
}

export interface RoutingIndexStoreOptions {
  /** Accounts whose index stays in memory (least recently routed ones are dropped first). */
  maxAccounts?: number;
  /** Distinct routing configs kept; instances left on a template's routing section share one. */
  maxProfiles?: number;
}

/** Active instances only: inactive and archived ones never answer routed messages. */
export function activeInstances(instances: readonly RoutableInstance[]): RoutableInstance[] {
  return instances.filter((instance) => instance.status === "active");
}

/**
 * (id, version) of the active instances, sorted: a config change bumps the version, a status
 * change adds or drops an entry, and either gives a new fingerprint.
 */
export function instancesFingerprint(instances: readonly RoutableInstance[]): string {
  return activeInstances(instances)
    .map((instance) => `${instance.id}@${instance.version}`)
    .sort()
    .join(",");
}

/**
 * Two LRUs: account → index (checked by fingerprint on every call, so an unchanged account
 * costs one string comparison), and routing config → profile (so a rebuilt index re-embeds only
 * the configs it has never seen). Both are bounded, so memory is too.
 */
export function createRoutingIndexStore(options: RoutingIndexStoreOptions = {}): RoutingIndexStore {
  const indexes = new LRUCache<string, RoutingIndex>({ max: options.maxAccounts ?? 1_000 });
  const profiles = new LRUCache<string, RoutingProfile>({ max: options.maxProfiles ?? 2_000 });
  let profileBuilds = 0;

  const profileOf = (instance: RoutableInstance): RoutingProfile => {
    const key = routingProfileKey(instance.config);
    const cached = profiles.get(key);
    if (cached !== undefined) return cached;
    profileBuilds += 1;
    const built = buildRoutingProfile(instance.config);
    profiles.set(key, built);
    return built;
  };

  return {
    get profileBuilds() {
      return profileBuilds;
    },
    indexFor(accountId, instances) {
      const fingerprint = instancesFingerprint(instances);
      const existing = indexes.get(accountId);
      if (existing?.fingerprint === fingerprint) return existing;
      const entries = activeInstances(instances).map((instance) => ({
        instance,
        profile: profileOf(instance),
      }));
      const index = indexOf(fingerprint, entries);
      indexes.set(accountId, index);
      return index;
    },
  };
}

function indexOf(fingerprint: string, entries: IndexedInstance[]): RoutingIndex {
  const byType = new Map<AgentType, IndexedInstance[]>();
  const bySlug = new Map<string, IndexedInstance>();
  for (const entry of entries) {
    const list = byType.get(entry.instance.type) ?? [];
    list.push(entry);
    byType.set(entry.instance.type, list);
    bySlug.set(entry.instance.slug, entry);
  }
  return { fingerprint, entries, byType, bySlug };
}
