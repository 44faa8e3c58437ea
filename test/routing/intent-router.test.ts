import { describe, expect, it } from "vitest";
import { createMemoryCacheBackend } from "../../src/cache/memory-cache.ts";
import type { AgentType } from "../../src/config/agent-config.ts";
import type { RouterConfig } from "../../src/config/router-config.ts";
import {
  createIntentRouter,
  type IntentRouter,
  NoRoutableAgentError,
  type RoutableInstance,
  type RoutingDecision,
} from "../../src/routing/index.ts";
import { instanceOf, oneInstancePerType, templateRouterConfig } from "./support/template-instances.ts";

function newRouter(options: { now?: () => number } = {}): IntentRouter {
  return createIntentRouter({ cache: createMemoryCacheBackend().cache, ...options });
}

const noCache = (overrides: Partial<RouterConfig> = {}) =>
  templateRouterConfig({ cache: { enabled: false, ttl_seconds: 300 }, ...overrides });

async function route(
  router: IntentRouter,
  message: string,
  options: {
    instances?: RoutableInstance[];
    currentInstance?: string | null;
    routerConfig?: RouterConfig;
    accountId?: string;
  } = {},
): Promise<RoutingDecision> {
  return router.decide({
    accountId: options.accountId ?? "acme",
    instances: options.instances ?? oneInstancePerType(),
    routerConfig: options.routerConfig ?? noCache(),
    message,
    currentInstance: options.currentInstance ?? null,
  });
}

describe("fast stage decisions", () => {
  const clear: Array<[AgentType, string]> = [
    ["sales", "How much does the Business plan cost per seat?"],
    ["simple-research", "What does the documentation say about exporting data?"],
    ["deep-research", "Write a detailed report comparing our backup options, with pros and cons"],
    ["digital-expert", "How should we protect customer data from a ransomware attack?"],
    ["simple-chat", "hello, thanks for your help!"],
  ];

  it.each(clear)("sends a clear %s question to that type without a model", async (type, message) => {
    const decision = await route(newRouter(), message);
    expect(decision).toMatchObject({
      agent_type: type,
      instance: type,
      stage: "fast",
      fallback: false,
      handoff: null,
    });
    expect(decision.confidence).toBeGreaterThanOrEqual(templateRouterConfig().thresholds.accept);
    expect(decision.reason).toContain(`fast stage: ${type}`);
    expect(decision.alternatives.length).toBeGreaterThan(0);
    expect(decision.alternatives.map((alternative) => alternative.instance)).not.toContain(type);
    for (const alternative of decision.alternatives)
      expect(alternative.confidence).toBeLessThan(decision.confidence);
  });

  it("falls back to simple-chat for nonsense, and says why", async () => {
    const decision = await route(newRouter(), "qwzx blorf");
    expect(decision).toMatchObject({
      agent_type: "simple-chat",
      instance: "simple-chat",
      stage: "fallback",
      fallback: true,
    });
    expect(decision.confidence).toBeLessThan(templateRouterConfig().thresholds.fallback);
    expect(decision.reason).toMatch(/below the fallback threshold 0\.35; falling back to simple-chat/);
  });

  it("reports the decision time from the injected clock", async () => {
    const ticks = [1_000, 1_007.5];
    const router = newRouter({ now: () => ticks.shift() ?? 2_000 });
    const decision = await route(router, "How much does the Business plan cost per seat?");
    expect(decision.ms).toBe(7.5);
  });

  it("ignores inactive and archived instances", async () => {
    const instances = [
      instanceOf("sales", { status: "inactive" }),
      instanceOf("sales", { slug: "old-sales", status: "archived" }),
      instanceOf("simple-chat"),
    ];
    const decision = await route(newRouter(), "How much does the Business plan cost per seat?", {
      instances,
    });
    expect(decision).toMatchObject({ instance: "simple-chat", stage: "fallback", fallback: true });
  });

  it("throws NO_ROUTABLE_AGENT when it must fall back and simple-chat has no active instance", async () => {
    const instances = [instanceOf("sales"), instanceOf("simple-chat", { status: "inactive" })];
    const failure = route(newRouter(), "qwzx blorf", { instances });
    await expect(failure).rejects.toBeInstanceOf(NoRoutableAgentError);
    await expect(failure).rejects.toMatchObject({ code: "NO_ROUTABLE_AGENT", status: 409 });
    await expect(failure).rejects.toThrow(/no active simple-chat instance to fall back to/);
    // Without the need to fall back, the missing simple-chat does not matter.
    const decision = await route(newRouter(), "How much does the Business plan cost per seat?", {
      instances,
    });
    expect(decision.instance).toBe("sales");
  });

  it("throws NO_ROUTABLE_AGENT for an account with no active instance at all", async () => {
    const instances = oneInstancePerType().map((instance) => ({ ...instance, status: "archived" as const }));
    await expect(route(newRouter(), "hello", { instances })).rejects.toMatchObject({
      code: "NO_ROUTABLE_AGENT",
    });
  });
});

describe("conversation continuity", () => {
  it("keeps a short follow-up with the conversation's current instance", async () => {
    const decision = await route(newRouter(), "and for 40 people?", { currentInstance: "sales" });
    expect(decision).toMatchObject({
      agent_type: "sales",
      instance: "sales",
      stage: "sticky",
      handoff: null,
    });
    expect(decision.reason).toContain("follow-up stays with sales");
  });

  it("without a conversation a follow-up means nothing on its own and falls back", async () => {
    const decision = await route(newRouter(), "ok, and what about the second one?");
    expect(decision.stage).toBe("fallback");
    const sticky = await route(newRouter(), "ok, and what about the second one?", {
      currentInstance: "sales",
    });
    expect(sticky).toMatchObject({ instance: "sales", stage: "sticky" });
  });

  it("stays when the message still fits the current instance's type", async () => {
    const decision = await route(newRouter(), "Do you offer a discount for two-year contracts?", {
      currentInstance: "sales",
    });
    expect(decision).toMatchObject({ instance: "sales", stage: "fast", handoff: null });
  });

  it("hands the conversation over on a clear topic change", async () => {
    const decision = await route(
      newRouter(),
      "Our laptop with customer data was stolen, do we have to notify the regulator under GDPR?",
      { currentInstance: "sales" },
    );
    expect(decision).toMatchObject({
      agent_type: "digital-expert",
      instance: "digital-expert",
      stage: "fast",
      handoff: { from: "sales", to: "digital-expert" },
    });
    expect(decision.reason).toContain("topic changed");
  });

  it("switches only when the challenger wins by the switch margin", async () => {
    const message = "Is the API documentation any good?";
    const switched = await route(newRouter(), message, { currentInstance: "sales" });
    expect(switched).toMatchObject({
      instance: "simple-research",
      handoff: { from: "sales", to: "simple-research" },
    });

    const kept = await route(newRouter(), message, {
      currentInstance: "sales",
      routerConfig: noCache({ stickiness: { enabled: true, switch_margin: 0.99 } }),
    });
    expect(kept).toMatchObject({ instance: "sales", stage: "sticky", handoff: null });
    expect(kept.reason).toMatch(/best alternative simple-research at 0\.\d+ does not beat it/);
  });

  it("with stickiness off, routes each message on its own and reports the handoff", async () => {
    const decision = await route(newRouter(), "ok, and what about the second one?", {
      currentInstance: "sales",
      routerConfig: noCache({ stickiness: { enabled: false, switch_margin: 0.15 } }),
    });
    expect(decision).toMatchObject({
      instance: "simple-chat",
      stage: "fallback",
      handoff: { from: "sales", to: "simple-chat" },
    });
  });

  it("moves on from a current instance that is no longer active", async () => {
    const instances = [
      instanceOf("sales", { status: "inactive" }),
      instanceOf("simple-chat"),
      instanceOf("digital-expert"),
    ];
    const decision = await route(newRouter(), "ok, and what about the second one?", {
      instances,
      currentInstance: "sales",
    });
    expect(decision).toMatchObject({
      instance: "simple-chat",
      handoff: { from: "sales", to: "simple-chat" },
    });
  });
});

describe("configuration changes", () => {
  const message = "I need replacement parts for my espresso machine";
  const espressoRouting = {
    routing: {
      description:
        "Spare parts and accessories for our espresso machines: ordering, prices and availability.",
      examples: [
        "where can I order replacement parts for my espresso machine?",
        "do you sell grinders and filters?",
      ],
      keywords: ["espresso", "spare parts", "replacement parts"],
    },
  };

  it("a version bump with a new routing description changes the next decision, even with the cache on", async () => {
    const router = newRouter();
    const routerConfig = templateRouterConfig();
    const before = await route(router, message, { routerConfig });
    expect(before.agent_type).not.toBe("sales");

    const instances = oneInstancePerType().map((instance) =>
      instance.type === "sales" ? instanceOf("sales", { version: 2, overrides: espressoRouting }) : instance,
    );
    const after = await route(router, message, { instances, routerConfig });
    expect(after).toMatchObject({ agent_type: "sales", instance: "sales", stage: "fast" });
    expect(after.reason).toContain("espresso");
  });
});
