import { performance } from "node:perf_hooks";
import { createMemoryCacheBackend } from "../src/cache/memory-cache.ts";
import { createIntentRouter, type RouteInput } from "../src/routing/index.ts";
import { routingVector } from "../src/routing/routing-text.ts";
import { evaluateSplit } from "../test/routing/support/evaluate-fixture.ts";
import { loadLabelledQueries } from "../test/routing/support/routing-fixture.ts";
import { oneInstancePerType, templateRouterConfig } from "../test/routing/support/template-instances.ts";
import { type Benchmark, type BenchResult, benchRow } from "./support/bench-result.ts";

const ROUNDS = 20;
const WARMUP_ROUNDS = 3;

function percentile(samples: readonly number[], share: number): number {
  const sorted = [...samples].sort((left, right) => left - right);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

async function timeEach(messages: readonly string[], decide: (message: string) => Promise<unknown>) {
  for (let round = 0; round < WARMUP_ROUNDS; round += 1)
    for (const message of messages) await decide(message);
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const message of messages) {
      const started = performance.now();
      await decide(message);
      samples.push(performance.now() - started);
    }
  }
  return samples;
}

async function run(): Promise<BenchResult> {
  const [tune, holdout] = await Promise.all([evaluateSplit("tune"), evaluateSplit("holdout")]);
  const unroutable = holdout.decisions.filter(({ entry }) => entry.kind !== undefined);
  const specialistQuestions = holdout.decisions.filter(({ entry }) => entry.expected !== "simple-chat");
  const accepted = holdout.decisions.filter(
    ({ decision }) =>
      decision.stage === "fast" && decision.confidence >= templateRouterConfig().thresholds.accept,
  );

  const messages = loadLabelledQueries().map((entry) => entry.query);
  const instances = oneInstancePerType();
  const base = { accountId: "bench", instances };
  const uncached: Omit<RouteInput, "message"> = {
    ...base,
    routerConfig: templateRouterConfig({ cache: { enabled: false, ttl_seconds: 300 } }),
  };
  const cached: Omit<RouteInput, "message"> = { ...base, routerConfig: templateRouterConfig() };

  const fastRouter = createIntentRouter({ cache: createMemoryCacheBackend().cache });
  const fast = await timeEach(messages, (message) => fastRouter.decide({ ...uncached, message }));
  // The floor any embedding-based router pays: embedding the message, nothing else.
  const embedOnly = await timeEach(messages, async (message) => routingVector(message));
  const cacheRouter = createIntentRouter({ cache: createMemoryCacheBackend().cache });
  for (const message of messages) await cacheRouter.decide({ ...cached, message });
  const hits = await timeEach(messages, async (message) => {
    const decision = await cacheRouter.decide({ ...cached, message });
    if (decision.stage !== "cache") throw new Error(`expected a cache hit for "${message}"`);
  });
  // First decision of an account: builds its index (embeds 5 instances' routing sections).
  const cold: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const router = createIntentRouter({ cache: createMemoryCacheBackend().cache });
    const varied = oneInstancePerType().map((instance) => ({ ...instance, id: `${instance.id}-${round}` }));
    const started = performance.now();
    await router.decide({ ...uncached, instances: varied, accountId: `cold-${round}`, message: "hello" });
    cold.push(performance.now() - started);
  }

  const percent = (value: number) => value * 100;
  return {
    rows: [
      benchRow({
        subject: "accuracy",
        metric: "holdout accuracy",
        value: percent(holdout.accuracy),
        unit: "%",
        target: { of: "value", atLeast: 90 },
      }),
      benchRow({ subject: "accuracy", metric: "tune accuracy", value: percent(tune.accuracy), unit: "%" }),
      benchRow({
        subject: "accuracy",
        metric: "holdout accuracy of accepted fast decisions",
        value: percent(accepted.filter(({ correct }) => correct).length / accepted.length),
        unit: "%",
      }),
      benchRow({
        subject: "accuracy",
        metric: "mean confidence of accepted fast decisions",
        value: percent(
          accepted.reduce((sum, { decision }) => sum + decision.confidence, 0) / accepted.length,
        ),
        unit: "%",
      }),
      benchRow({
        subject: "accuracy",
        metric: "holdout fallback rate",
        value: percent(holdout.fallbackRate),
        unit: "%",
      }),
      benchRow({
        subject: "accuracy",
        metric: "fallback rate on specialist questions",
        value: percent(
          specialistQuestions.filter(({ decision }) => decision.fallback).length / specialistQuestions.length,
        ),
        unit: "%",
      }),
      benchRow({
        subject: "accuracy",
        metric: "nonsense and fragments falling back",
        value: percent(unroutable.filter(({ decision }) => decision.fallback).length / unroutable.length),
        unit: "%",
      }),
      benchRow({
        subject: "fast stage",
        metric: "decision p50",
        value: percentile(fast, 0.5),
        unit: "ms",
        baseline: percentile(embedOnly, 0.5),
        target: { of: "value", atMost: 1 },
      }),
      benchRow({
        subject: "fast stage",
        metric: "decision p99",
        value: percentile(fast, 0.99),
        unit: "ms",
        baseline: percentile(embedOnly, 0.99),
        target: { of: "value", atMost: 5 },
      }),
      benchRow({
        subject: "cache hit",
        metric: "decision p50",
        value: percentile(hits, 0.5),
        unit: "ms",
        baseline: percentile(fast, 0.5),
      }),
      benchRow({
        subject: "cache hit",
        metric: "decision p99",
        value: percentile(hits, 0.99),
        unit: "ms",
        baseline: percentile(fast, 0.99),
      }),
      benchRow({
        subject: "cold account",
        metric: "first decision (index build) p50",
        value: percentile(cold, 0.5),
        unit: "ms",
      }),
    ],
    notes: [
      `labelled set: ${tune.total} tune + ${holdout.total} holdout queries (test/fixtures/routing-queries.json); templates and calibration tuned on tune only`,
      "accuracy = final decision type (fast stage, fallback; no model stage, as on the offline default) against the label",
      `accepted fast decisions: confidence ≥ accept (${templateRouterConfig().thresholds.accept}), ${accepted.length} of ${holdout.total} holdout queries; a calibrated router's mean confidence matches their accuracy`,
      `timings: in-process, ${ROUNDS} rounds over all ${messages.length} labelled queries after ${WARMUP_ROUNDS} warm-up rounds; one account with one instance per type`,
      "fast stage baseline: embedding the message alone (routingVector, 4,096 dimensions); cache-hit baseline: the fast stage",
      "cache hits use the in-process memory cache; on Redis add one round trip for the generation and one for the entry",
    ],
  };
}

export const routingBench: Benchmark = {
  name: "routing",
  description:
    "Intent router: holdout accuracy and fallback rate on the labelled set; decision time of the fast stage, of cache hits and of an account's first decision, in-process",
  run,
};
