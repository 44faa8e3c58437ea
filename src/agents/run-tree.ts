import type { TierLimits } from "../accounts/tiers.ts";
import type { MultiAgentSettings } from "../config/settings.ts";
import { createRequestBudget } from "../multi-agent/request-budget.ts";
import type { RunTree } from "./agent-context.ts";

/** The limits of one request's tree of runs: the platform's settings, lowered by the tier's. */
export function createRunTree(tier: TierLimits, settings: MultiAgentSettings): RunTree {
  return {
    budget: createRequestBudget({
      maxChildRuns: Math.min(
        tier.max_child_runs_per_request,
        settings.maxChildRunsPerRequest ?? Number.POSITIVE_INFINITY,
      ),
      maxTokens: tier.max_tokens_per_request,
    }),
    maxDepth: Math.min(settings.maxNestingDepth, tier.max_nesting_depth),
    childTimeoutSeconds: Math.min(settings.childTimeoutSeconds, tier.child_timeout_seconds),
    aggregateMetadata: settings.aggregateMetadata,
    relayEnabled: settings.eventRelayEnabled,
  };
}
