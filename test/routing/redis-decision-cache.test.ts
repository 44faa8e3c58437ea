import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import type { CacheBackend } from "../../src/cache/cache.ts";
import { createRedisCacheBackend } from "../../src/cache/redis-cache.ts";
import { createIntentRouter, invalidateRoutingCache, type RouteInput } from "../../src/routing/index.ts";
import { oneInstancePerType, templateRouterConfig } from "./support/template-instances.ts";

const redisUrl = process.env.REDIS_URL;

describe.skipIf(!redisUrl)("routing decisions shared through Redis", () => {
  const backends: CacheBackend[] = [];
  afterAll(async () => {
    await Promise.all(backends.map((backend) => backend.close()));
  });

  // Two replicas: separate processes in production, separate connections and routers here.
  const prefix = `switchboard-test-routing-${randomBytes(4).toString("hex")}:`;
  const replica = () => {
    const backend = createRedisCacheBackend({ url: redisUrl ?? "", prefix });
    backends.push(backend);
    return { cache: backend.cache, router: createIntentRouter({ cache: backend.cache }) };
  };
  const input: RouteInput = {
    accountId: "acme",
    instances: oneInstancePerType(),
    routerConfig: templateRouterConfig(),
    message: "How much does the Business plan cost per seat?",
  };

  it("a decision made on one replica is a cache hit on another, until invalidated", async () => {
    const first = replica();
    const second = replica();
    expect((await first.router.decide(input)).stage).toBe("fast");
    expect(await second.router.decide(input)).toMatchObject({ stage: "cache", instance: "sales" });
    await invalidateRoutingCache(second.cache, "acme");
    expect((await first.router.decide(input)).stage).toBe("fast");
    expect((await second.router.decide(input)).stage).toBe("cache");
  });
});
