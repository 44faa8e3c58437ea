import type { RoutableInstance } from "./routing-types.ts";

/** A same-type instance with the fast stage's score for it (0 when that stage did not run). */
export interface SelectionCandidate {
  instance: RoutableInstance;
  routingScore: number;
  capabilityTerms: ReadonlySet<string>;
}

export interface InstanceSelection {
  instance: RoutableInstance;
  /** Why this one and not its siblings; empty when it was the only candidate. */
  reason: string;
}

/** Per matched capability term; three matched terms outweigh any difference in routing score. */
const CAPABILITY_TERM_WEIGHT = 0.1;
const MAX_CAPABILITY_TERMS = 3;
const TIE = 1e-9;

/** Round-robin counters per account and type; in-process, so a restart starts them over. */
export interface RoundRobin {
  next(key: string): number;
}

export function createRoundRobin(maxKeys = 10_000): RoundRobin {
  const counters = new Map<string, number>();
  return {
    next(key) {
      const value = counters.get(key) ?? 0;
      counters.delete(key);
      // Re-inserting keeps the Map in least-recently-used order, so the oldest key goes first.
      counters.set(key, value + 1);
      if (counters.size > maxKeys) {
        const oldest = counters.keys().next().value;
        if (oldest !== undefined) counters.delete(oldest);
      }
      return value;
    },
  };
}

/**
 * Picks one instance among active instances of the winning type: the best capability match
 * (its own routing score plus the query terms found in its knowledge topics, tools, delegates
 * and tags); among equals the least loaded; among those, the next in round-robin order.
 */
export function selectInstance(
  candidates: readonly SelectionCandidate[],
  queryTerms: readonly string[],
  roundRobin: RoundRobin,
  roundRobinKey: string,
): InstanceSelection | null {
  if (candidates.length === 0) return null;
  const first = candidates[0];
  if (candidates.length === 1 && first !== undefined) return { instance: first.instance, reason: "" };

  const distinctTerms = [...new Set(queryTerms)];
  const scored = candidates.map((candidate) => {
    const matched = distinctTerms.filter((term) => candidate.capabilityTerms.has(term));
    const capability =
      candidate.routingScore + CAPABILITY_TERM_WEIGHT * Math.min(matched.length, MAX_CAPABILITY_TERMS);
    return { candidate, capability, matched, load: candidate.instance.inFlight ?? 0 };
  });
  const bestCapability = Math.max(...scored.map((entry) => entry.capability));
  const capable = scored.filter((entry) => bestCapability - entry.capability <= TIE);
  const leastLoad = Math.min(...capable.map((entry) => entry.load));
  const idle = capable
    .filter((entry) => entry.load === leastLoad)
    .sort((left, right) => left.candidate.instance.slug.localeCompare(right.candidate.instance.slug));

  const count = candidates.length;
  const type = first?.instance.type ?? "";
  if (capable.length === 1 && capable[0] !== undefined) {
    const winner = capable[0];
    const matched = winner.matched.length > 0 ? ` (matched ${winner.matched.join(", ")})` : "";
    return {
      instance: winner.candidate.instance,
      reason: `best capability match of ${count} ${type} instances${matched}`,
    };
  }
  if (idle.length === 1 && idle[0] !== undefined) {
    return {
      instance: idle[0].candidate.instance,
      reason: `least loaded of ${capable.length} equally capable ${type} instances (${leastLoad} in flight)`,
    };
  }
  const turn = roundRobin.next(roundRobinKey) % idle.length;
  const chosen = idle[turn] ?? idle[0];
  if (chosen === undefined) return null;
  return {
    instance: chosen.candidate.instance,
    reason: `round robin over ${idle.length} equally capable, equally loaded ${type} instances`,
  };
}
