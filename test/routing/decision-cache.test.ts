import { describe, expect, it } from "vitest";
import type { KeyValueCache } from "../../src/cache/cache.ts";
import { createMemoryCacheBackend } from "../../src/cache/memory-cache.ts";
import {
  createIntentRouter,
  invalidateRoutingCache,
  normaliseQuery,
  type RouteInput,
} from "../../src/routing/index.ts";
import { instanceOf, oneInstancePerType, templateRouterConfig } from "./support/template-instances.ts";

const message = "How much does the Business plan cost per seat?";

function input(overrides: Partial<RouteInput> = {}): RouteInput {
  return {
    accountId: "acme",
    instances: oneInstancePerType(),
    routerConfig: templateRouterConfig(),
    message,
    currentInstance: null,
    ...overrides,
  };
}

describe("normaliseQuery", () => {
  it("lowercases, collapses whitespace and trims punctuation at both ends", () => {
    expect(normaliseQuery("  How much   is the PRO plan??!  ")).toBe("how much is the pro plan");
    expect(normaliseQuery("¿Qué tal?")).toBe("qué tal");
    expect(normaliseQuery("e-mail: jane@example.com.")).toBe("e-mail: jane@example.com");
    expect(normaliseQuery("???")).toBe("");
  });
});

describe("decision cache", () => {
  it("answers a repeated message from the cache, whatever its case and spacing", async () => {
    const router = createIntentRouter({ cache: createMemoryCacheBackend().cache });
    const first = await router.decide(input());
    expect(first.stage).toBe("fast");
    const second = await router.decide(input({ message: `  ${message.toUpperCase()}!! ` }));
    expect(second).toMatchObject({
      stage: "cache",
      agent_type: first.agent_type,
      instance: first.instance,
      confidence: first.confidence,
      alternatives: first.alternatives,
    });
    expect(second.reason).toContain("same message seen recently (fast)");
  });

  it("keys on the conversation's current instance, so stickiness is never answered for another conversation", async () => {
    const router = createIntentRouter({ cache: createMemoryCacheBackend().cache });
    const followUp = "ok, and what about the second one?";
    const inSales = await router.decide(input({ message: followUp, currentInstance: "sales" }));
    const fresh = await router.decide(input({ message: followUp, currentInstance: null }));
    expect(inSales).toMatchObject({ instance: "sales", stage: "sticky" });
    expect(fresh).toMatchObject({ instance: "simple-chat", stage: "fallback" });
    expect((await router.decide(input({ message: followUp, currentInstance: "sales" }))).stage).toBe("cache");
  });

  it("misses after invalidateRoutingCache, then caches again", async () => {
    const { cache } = createMemoryCacheBackend();
    const router = createIntentRouter({ cache });
    await router.decide(input());
    expect((await router.decide(input())).stage).toBe("cache");
    await invalidateRoutingCache(cache, "acme");
    expect((await router.decide(input())).stage).toBe("fast");
    expect((await router.decide(input())).stage).toBe("cache");
  });

  it("invalidating one account leaves another account's decisions cached", async () => {
    const { cache } = createMemoryCacheBackend();
    const router = createIntentRouter({ cache });
    await router.decide(input({ accountId: "acme" }));
    await router.decide(input({ accountId: "globex" }));
    await invalidateRoutingCache(cache, "acme");
    expect((await router.decide(input({ accountId: "globex" }))).stage).toBe("cache");
    expect((await router.decide(input({ accountId: "acme" }))).stage).toBe("fast");
  });

  it("misses when an instance's version or status changes, even if nobody invalidated", async () => {
    const router = createIntentRouter({ cache: createMemoryCacheBackend().cache });
    await router.decide(input());
    const bumped = oneInstancePerType().map((instance) =>
      instance.type === "sales" ? { ...instance, version: 2 } : instance,
    );
    expect((await router.decide(input({ instances: bumped }))).stage).toBe("fast");
    const deactivated = oneInstancePerType().map((instance) =>
      instance.type === "deep-research" ? { ...instance, status: "inactive" as const } : instance,
    );
    expect((await router.decide(input({ instances: deactivated }))).stage).toBe("fast");
  });

  it("never caches when the router config turns the cache off", async () => {
    const router = createIntentRouter({ cache: createMemoryCacheBackend().cache });
    const routerConfig = templateRouterConfig({ cache: { enabled: false, ttl_seconds: 300 } });
    await router.decide(input({ routerConfig }));
    expect((await router.decide(input({ routerConfig }))).stage).toBe("fast");
  });

  it("stores decisions with the router's TTL", async () => {
    const writes: Array<{ key: string; ttl: number }> = [];
    const { cache: inner } = createMemoryCacheBackend();
    const cache: KeyValueCache = {
      ...inner,
      set: async (key, value, ttl) => {
        writes.push({ key, ttl });
        await inner.set(key, value, ttl);
      },
    };
    const router = createIntentRouter({ cache });
    await router.decide(
      input({ routerConfig: templateRouterConfig({ cache: { enabled: true, ttl_seconds: 42 } }) }),
    );
    expect(writes.filter((write) => write.key.startsWith("routing:decision:acme:"))).toEqual([
      expect.objectContaining({ ttl: 42 }),
    ]);
  });

  it("keeps routing when the cache is down, and says so to onError", async () => {
    const errors: string[] = [];
    const broken: KeyValueCache = {
      get: async () => {
        throw new Error("connection refused");
      },
      set: async () => {
        throw new Error("connection refused");
      },
      delete: async () => {},
      increment: async () => {
        throw new Error("connection refused");
      },
    };
    const router = createIntentRouter({ cache: broken, onError: (_error, context) => errors.push(context) });
    const decision = await router.decide(input());
    expect(decision).toMatchObject({ instance: "sales", stage: "fast" });
    expect(errors).toEqual(["routing decision cache read"]);
  });

  it("a fallback decision is cached too", async () => {
    const router = createIntentRouter({ cache: createMemoryCacheBackend().cache });
    const instances = [instanceOf("simple-chat"), instanceOf("sales")];
    await router.decide(input({ message: "qwzx blorf", instances }));
    const again = await router.decide(input({ message: "QWZX blorf", instances }));
    expect(again).toMatchObject({ stage: "cache", fallback: true, instance: "simple-chat" });
  });
});
