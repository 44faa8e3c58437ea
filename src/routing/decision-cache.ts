import { createHash } from "node:crypto";
import { z } from "zod";
import type { KeyValueCache } from "../cache/cache.ts";
import { AgentTypeSchema } from "../config/agent-config.ts";
import type { RouterConfig } from "../config/router-config.ts";
import { RoutingStageSchema } from "../events/event-schema.ts";
import type { RoutingDecision } from "./routing-types.ts";

/**
 * Routing decisions cached on the shared KeyValueCache (memory or Redis), keyed by account,
 * the account's cache generation, and a hash of everything the decision depends on: the
 * normalised message, the conversation's current instance, the active instances' (id, version)
 * list and the router config. A config or status change therefore misses by itself; the
 * generation is the explicit switch the lead flips on every instance change.
 */

// Longer than any decision's TTL (at most a day), so a generation never expires under live entries.
const GENERATION_TTL_SECONDS = 7 * 86_400;

const generationKey = (accountId: string) => `routing:generation:${accountId}`;
const generationCounterKey = (accountId: string) => `routing:generation-counter:${accountId}`;

/**
 * Starts a new cache generation for the account: every routing decision cached before is
 * unreachable from now on. Call it on every instance create, config update and status change.
 */
export async function invalidateRoutingCache(cache: KeyValueCache, accountId: string): Promise<void> {
  // The counter only ever grows, so a new generation never collides with one seen before; it is
  // mirrored into a plain key because not every cache backend lets `get` read a counter.
  const generation = await cache.increment(generationCounterKey(accountId));
  await cache.set(generationKey(accountId), generation, GENERATION_TTL_SECONDS);
}

async function currentGeneration(cache: KeyValueCache, accountId: string): Promise<number> {
  const stored = await cache.get<unknown>(generationKey(accountId));
  if (typeof stored === "number") return stored;
  // Never set, or evicted: start a fresh generation rather than reuse 0, under which stale
  // decisions from before an invalidation could still live.
  const generation = await cache.increment(generationCounterKey(accountId));
  await cache.set(generationKey(accountId), generation, GENERATION_TTL_SECONDS);
  return generation;
}

/** Lowercase, whitespace collapsed, punctuation trimmed from both ends: "  Hi   there!!" → "hi there". */
export function normaliseQuery(message: string): string {
  return message
    .toLowerCase()
    .replace(/\s+/gu, " ")
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, "");
}

export interface DecisionKeyInput {
  accountId: string;
  message: string;
  currentInstance: string | null;
  instancesFingerprint: string;
  routerConfig: RouterConfig;
}

export async function decisionCacheKey(cache: KeyValueCache, input: DecisionKeyInput): Promise<string> {
  const generation = await currentGeneration(cache, input.accountId);
  const digest = createHash("sha256")
    .update(
      JSON.stringify([
        normaliseQuery(input.message),
        input.currentInstance ?? "",
        input.instancesFingerprint,
        input.routerConfig,
      ]),
    )
    .digest("base64url");
  return `routing:decision:${input.accountId}:${generation}:${digest}`;
}

const CachedDecisionSchema = z.object({
  agent_type: AgentTypeSchema,
  instance: z.string(),
  confidence: z.number(),
  stage: RoutingStageSchema,
  alternatives: z.array(
    z.object({ agent_type: AgentTypeSchema, instance: z.string(), confidence: z.number() }),
  ),
  reason: z.string(),
  fallback: z.boolean(),
  handoff: z.object({ from: z.string(), to: z.string() }).nullable(),
});
export type CachedDecision = z.infer<typeof CachedDecisionSchema>;

/** A cached decision, or undefined; an entry that does not parse (another version wrote it) is a miss. */
export async function readCachedDecision(
  cache: KeyValueCache,
  key: string,
): Promise<CachedDecision | undefined> {
  const stored = await cache.get<unknown>(key);
  if (stored === undefined) return undefined;
  const parsed = CachedDecisionSchema.safeParse(stored);
  return parsed.success ? parsed.data : undefined;
}

export async function writeCachedDecision(
  cache: KeyValueCache,
  key: string,
  decision: RoutingDecision,
  ttlSeconds: number,
): Promise<void> {
  const { ms: _ms, ...cached } = decision;
  await cache.set(key, cached satisfies CachedDecision, ttlSeconds);
}
