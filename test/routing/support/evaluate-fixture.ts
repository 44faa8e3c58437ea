import { createMemoryCacheBackend } from "../../../src/cache/memory-cache.ts";
import { AGENT_TYPES, type AgentType } from "../../../src/config/agent-config.ts";
import { createIntentRouter, type RoutingDecision } from "../../../src/routing/index.ts";
import { type LabelledQuery, loadLabelledQueries } from "./routing-fixture.ts";
import { oneInstancePerType, templateRouterConfig } from "./template-instances.ts";

export interface LabelledDecision {
  entry: LabelledQuery;
  decision: RoutingDecision;
  correct: boolean;
}

export interface SplitReport {
  total: number;
  correct: number;
  accuracy: number;
  /** Share of decisions that went to the fallback type for lack of confidence. */
  fallbackRate: number;
  perType: Record<AgentType, { total: number; correct: number }>;
  decisions: LabelledDecision[];
}

/**
 * Routes every labelled query of a split as the first message of a new conversation on the
 * demo account's shape (one instance per type, templates and router template as shipped), with
 * no model stage and no cache, and scores the final decision's type against the label.
 */
export async function evaluateSplit(split: "tune" | "holdout"): Promise<SplitReport> {
  const router = createIntentRouter({ cache: createMemoryCacheBackend().cache });
  const routerConfig = templateRouterConfig({ cache: { enabled: false, ttl_seconds: 300 } });
  const instances = oneInstancePerType();
  const decisions: LabelledDecision[] = [];
  for (const entry of loadLabelledQueries().filter((query) => query.split === split)) {
    const decision = await router.decide({
      accountId: "evaluation",
      instances,
      routerConfig,
      message: entry.query,
    });
    decisions.push({ entry, decision, correct: decision.agent_type === entry.expected });
  }
  const perType = Object.fromEntries(
    AGENT_TYPES.map((type) => [type, { total: 0, correct: 0 }]),
  ) as SplitReport["perType"];
  for (const { entry, correct } of decisions) {
    perType[entry.expected].total += 1;
    if (correct) perType[entry.expected].correct += 1;
  }
  const correct = decisions.filter((decision) => decision.correct).length;
  return {
    total: decisions.length,
    correct,
    accuracy: correct / decisions.length,
    fallbackRate: decisions.filter(({ decision }) => decision.fallback).length / decisions.length,
    perType,
    decisions,
  };
}
