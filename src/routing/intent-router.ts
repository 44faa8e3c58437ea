import { performance } from "node:perf_hooks";
import type { KeyValueCache } from "../cache/cache.ts";
import { decideRoute } from "./decide-route.ts";
import { decisionCacheKey, readCachedDecision, writeCachedDecision } from "./decision-cache.ts";
import { createRoundRobin } from "./instance-selection.ts";
import { NoRoutableAgentError } from "./no-routable-agent-error.ts";
import { createRoutingIndexStore } from "./routing-index.ts";
import type { RouteInput, RouterModels, RoutingDecision } from "./routing-types.ts";

export interface IntentRouterOptions {
  /** Where decisions are cached; shared across replicas when it is Redis. */
  cache: KeyValueCache;
  /** The model registry; without it (or with an offline router model) the model stage is skipped. */
  models?: RouterModels;
  /** Clock for `ms` and the model stage's timing; `performance.now` by default. */
  now?: () => number;
  /** Accounts whose routing index stays in memory; least recently routed ones go first. */
  maxAccounts?: number;
  /** Told about failures the router survives (cache unreachable, model stage error), for logs. */
  onError?: (error: unknown, context: string) => void;
}

export interface IntentRouter {
  /** Which active instance answers the message, why, and whether the conversation changes hands. */
  decide(input: RouteInput): Promise<RoutingDecision>;
}

export function createIntentRouter(options: IntentRouterOptions): IntentRouter {
  const { cache, models, onError } = options;
  const now = options.now ?? (() => performance.now());
  const indexes = createRoutingIndexStore({ maxAccounts: options.maxAccounts ?? 1_000 });
  const roundRobin = createRoundRobin();

  return {
    async decide(input) {
      const started = now();
      const index = indexes.indexFor(input.accountId, input.instances);
      if (index.entries.length === 0) {
        throw new NoRoutableAgentError(input.accountId, "the account has no active agent instance");
      }
      const { routerConfig } = input;

      let cacheKey: string | null = null;
      if (routerConfig.cache.enabled) {
        try {
          cacheKey = await decisionCacheKey(cache, {
            accountId: input.accountId,
            message: input.message,
            currentInstance: input.currentInstance ?? null,
            instancesFingerprint: index.fingerprint,
            routerConfig,
          });
          const cached = await readCachedDecision(cache, cacheKey);
          if (cached !== undefined) {
            return {
              ...cached,
              stage: "cache",
              reason: `same message seen recently (${cached.stage}): ${cached.reason}`,
              ms: now() - started,
            };
          }
        } catch (error) {
          // A cache outage costs speed, never the answer.
          onError?.(error, "routing decision cache read");
          cacheKey = null;
        }
      }

      const decision = await decideRoute({ index, input, models, roundRobin, now, onError });
      const result: RoutingDecision = { ...decision, ms: now() - started };
      if (cacheKey !== null) {
        try {
          await writeCachedDecision(cache, cacheKey, result, routerConfig.cache.ttl_seconds);
        } catch (error) {
          onError?.(error, "routing decision cache write");
        }
      }
      return result;
    },
  };
}
