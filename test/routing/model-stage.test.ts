import { describe, expect, it } from "vitest";
import { createMemoryCacheBackend } from "../../src/cache/memory-cache.ts";
import type { RouterConfig } from "../../src/config/router-config.ts";
import { createIntentRouter, type RoutableInstance, type RouterModels } from "../../src/routing/index.ts";
import {
  answeringModel,
  failingModel,
  GENERATIVE_MODEL_ID,
  routerModels,
  slowModel,
} from "./support/mock-router-models.ts";
import { instanceOf, oneInstancePerType, templateRouterConfig } from "./support/template-instances.ts";

/**
 * The calibrated fast stage is rarely between the shipped thresholds (0.35 and 0.55): most
 * messages score either well below or well above. These tests raise `accept` to 0.95, as an
 * account that wants the model's opinion more often would, so a 0.8-0.9 answer counts as unsure.
 */
const thresholds = { accept: 0.95, fallback: 0.35 };
const unsureMessage = "Is SSO extra for teams?";
const clearMessage = "How much does the Business plan cost per seat?";

function config(overrides: Partial<RouterConfig> = {}): RouterConfig {
  return templateRouterConfig({
    model: GENERATIVE_MODEL_ID,
    thresholds,
    cache: { enabled: false, ttl_seconds: 300 },
    ...overrides,
  });
}

function decide(
  models: RouterModels,
  message: string,
  options: { routerConfig?: RouterConfig; instances?: RoutableInstance[]; signal?: AbortSignal } = {},
) {
  const errors: string[] = [];
  const router = createIntentRouter({
    cache: createMemoryCacheBackend().cache,
    models,
    onError: (_error, context) => errors.push(context),
  });
  const decision = router.decide({
    accountId: "acme",
    instances: options.instances ?? oneInstancePerType(),
    routerConfig: options.routerConfig ?? config(),
    message,
    ...(options.signal && { signal: options.signal }),
  });
  return { decision, errors };
}

const answer = (body: Record<string, unknown>) => answeringModel(JSON.stringify(body));

describe("model stage", () => {
  it("the unsure message really is unsure for the fast stage, and the clear one is not", async () => {
    const offline = config({ model: "offline" });
    const unsure = await decide(routerModels(failingModel()), unsureMessage, { routerConfig: offline })
      .decision;
    expect(unsure).toMatchObject({ stage: "fast", instance: "sales" });
    expect(unsure.confidence).toBeGreaterThanOrEqual(thresholds.fallback);
    expect(unsure.confidence).toBeLessThan(thresholds.accept);
    const clear = await decide(routerModels(failingModel()), clearMessage, { routerConfig: offline })
      .decision;
    expect(clear.confidence).toBeGreaterThanOrEqual(thresholds.accept);
  });

  it("uses the model's structured answer when the fast stage is unsure", async () => {
    const model = answer({
      type: "simple-research",
      instance: "simple-research",
      confidence: 0.86,
      reason: "asks what the docs say SSO needs",
    });
    const { decision } = decide(routerModels(model), unsureMessage);
    expect(await decision).toMatchObject({
      agent_type: "simple-research",
      instance: "simple-research",
      confidence: 0.86,
      stage: "model",
      fallback: false,
    });
    expect((await decision).reason).toMatch(
      /^model stage \(\d+ ms, fast stage had 0\.\d\d for sales\): asks what/,
    );
    expect(model.doGenerateCalls).toHaveLength(1);
    const call = model.doGenerateCalls[0];
    expect(call?.responseFormat).toMatchObject({ type: "json" });
    // The model sees every active instance it may choose from.
    const prompt = JSON.stringify(call?.prompt);
    for (const slug of ["sales", "simple-research", "deep-research", "digital-expert", "simple-chat"]) {
      expect(prompt).toContain(`instance \\"${slug}\\"`);
    }
  });

  it("is not called when the fast stage is confident", async () => {
    const model = answer({
      type: "simple-chat",
      instance: "simple-chat",
      confidence: 1,
      reason: "never asked",
    });
    const { decision } = decide(routerModels(model), clearMessage);
    expect(await decision).toMatchObject({ stage: "fast", instance: "sales" });
    expect(model.doGenerateCalls).toHaveLength(0);
  });

  it("on timeout the fast answer stands, within the time budget", async () => {
    const started = performance.now();
    const { decision, errors } = decide(routerModels(slowModel(2_000)), unsureMessage, {
      routerConfig: config({ model_stage: { timeout_ms: 60 } }),
    });
    const result = await decision;
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(result.stage).toBe("fast");
    expect(result.reason).toMatch(/model stage timed out after \d+ ms, fast answer stands/);
    expect(errors).toEqual([]);
  });

  it("settles by the deadline even when the provider ignores the abort signal", async () => {
    const stubborn = answeringModel("{}");
    stubborn.doGenerate = async () => new Promise(() => {});
    const { decision } = decide(routerModels(stubborn), unsureMessage, {
      routerConfig: config({ model_stage: { timeout_ms: 50 } }),
    });
    expect((await decision).stage).toBe("fast");
  });

  it("on a model error the fast answer stands and onError hears of it", async () => {
    const { decision, errors } = decide(routerModels(failingModel("rate limited upstream")), unsureMessage);
    const result = await decision;
    expect(result.stage).toBe("fast");
    expect(result.reason).toContain("model stage failed (rate limited upstream), fast answer stands");
    expect(errors).toEqual(["routing model stage failed"]);
  });

  it("an answer that does not fit the schema counts as an error", async () => {
    const { decision } = decide(
      routerModels(answeringModel('{"type":"astrologer","confidence":2}')),
      unsureMessage,
    );
    const result = await decision;
    expect(result.stage).toBe("fast");
    expect(result.reason).toContain("model stage failed");
  });

  it("skips the stage for the offline model without asking the registry for it", async () => {
    const models = routerModels(answer({ type: "sales", instance: "sales", confidence: 0.9, reason: "x" }));
    const { decision } = decide(models, unsureMessage, { routerConfig: config({ model: "offline" }) });
    expect((await decision).stage).toBe("fast");
    expect(models.requested).toEqual([]);
  });

  it("skips the stage when the router config turns it off", async () => {
    const model = answer({ type: "sales", instance: "sales", confidence: 0.9, reason: "x" });
    const { decision } = decide(routerModels(model), unsureMessage, {
      routerConfig: config({ stages: { fast: true, model: false } }),
    });
    expect((await decision).stage).toBe("fast");
    expect(model.doGenerateCalls).toHaveLength(0);
  });

  it("skips the stage when the registry has no such model, and says why", async () => {
    const models: RouterModels = {
      languageModel: () => {
        throw new Error('provider "openai" is not configured');
      },
      isOffline: () => false,
    };
    const { decision, errors } = decide(models, unsureMessage);
    const result = await decision;
    expect(result.stage).toBe("fast");
    expect(result.reason).toContain('model stage skipped: provider "openai" is not configured');
    expect(errors).toEqual(["routing model stage: model not available"]);
  });

  it("falls back when the model picks a type the account has no active instance of", async () => {
    const instances = oneInstancePerType().filter((instance) => instance.type !== "digital-expert");
    const model = answer({
      type: "digital-expert",
      instance: "security",
      confidence: 0.9,
      reason: "security question",
    });
    const result = await decide(routerModels(model), unsureMessage, { instances }).decision;
    expect(result).toMatchObject({ stage: "fallback", fallback: true, instance: "simple-chat" });
    expect(result.reason).toContain("digital-expert was chosen (model stage) but has no active instance");
  });

  it("falls back when the model itself is unsure", async () => {
    const model = answer({
      type: "deep-research",
      instance: "deep-research",
      confidence: 0.2,
      reason: "hard to say",
    });
    const result = await decide(routerModels(model), unsureMessage).decision;
    expect(result).toMatchObject({ stage: "fallback", instance: "simple-chat", confidence: 0.2 });
  });

  it("chooses among the type's instances when the model names an unknown slug", async () => {
    const instances = [instanceOf("simple-chat"), instanceOf("sales", { slug: "sales-eu" })];
    const model = answer({ type: "sales", instance: "sales", confidence: 0.8, reason: "buying question" });
    const result = await decide(routerModels(model), unsureMessage, { instances }).decision;
    expect(result).toMatchObject({ stage: "model", instance: "sales-eu" });
  });

  it("with the fast stage off, the model decides alone", async () => {
    const model = answer({
      type: "deep-research",
      instance: "deep-research",
      confidence: 0.7,
      reason: "broad",
    });
    const result = await decide(routerModels(model), clearMessage, {
      routerConfig: config({ stages: { fast: false, model: true } }),
    }).decision;
    expect(result).toMatchObject({ stage: "model", instance: "deep-research" });
  });

  it("in a conversation, a confident model answer hands over and an unsure one does not", async () => {
    const router = (confidence: number) =>
      createIntentRouter({
        cache: createMemoryCacheBackend().cache,
        models: routerModels(
          answer({ type: "digital-expert", instance: "digital-expert", confidence, reason: "r" }),
        ),
      });
    const input = {
      accountId: "acme",
      instances: oneInstancePerType(),
      routerConfig: config(),
      message: unsureMessage,
      currentInstance: "simple-chat",
    };
    expect(await router(0.97).decide(input)).toMatchObject({
      stage: "model",
      instance: "digital-expert",
      handoff: { from: "simple-chat", to: "digital-expert" },
    });
    expect(await router(0.6).decide(input)).toMatchObject({
      stage: "sticky",
      instance: "simple-chat",
      handoff: null,
    });
  });

  it("rejects when the caller aborts: nobody is left to answer", async () => {
    const controller = new AbortController();
    const { decision } = decide(routerModels(slowModel(2_000)), unsureMessage, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("client went away")), 20);
    await expect(decision).rejects.toThrow("client went away");
  });
});
