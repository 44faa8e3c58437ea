import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/test-server.ts";

/** A budget account may make 60 requests a minute (TIER_LIMITS.budget). */
const BUDGET_LIMIT = 60;

async function createBudgetAccount(server: TestServer, slug: string): Promise<string> {
  const created = await server.request("POST", "/accounts", {
    key: server.adminKey,
    body: { slug, name: slug, tier: "budget" },
  });
  return created.body.api_key;
}

async function burst(servers: TestServer[], key: string, path: string, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let index = 0; index < count; index++) {
    const server = servers[index % servers.length] as TestServer;
    statuses.push((await server.request("GET", path, { key })).status);
  }
  return statuses;
}

describe("rate limiting by tier", () => {
  const started: TestServer[] = [];
  afterAll(async () => {
    for (const server of started.reverse()) await server.close();
  });

  it("limits an account to its tier's requests per minute, per account", async () => {
    const server = await startTestServer("pglite");
    started.push(server);
    const key = await createBudgetAccount(server, "limited");
    const statuses = await burst([server], key, "/accounts/limited", BUDGET_LIMIT + 1);
    expect(statuses.slice(0, BUDGET_LIMIT).every((status) => status === 200)).toBe(true);
    expect(statuses[BUDGET_LIMIT]).toBe(429);

    const limited = await server.request("GET", "/accounts/limited", { key });
    expect(limited.body.error.code).toBe("RATE_LIMITED");
    expect(limited.headers.get("retry-after")).not.toBeNull();

    // Another account, on the same server, has its own budget.
    const otherKey = await createBudgetAccount(server, "unlimited-yet");
    expect((await server.request("GET", "/accounts/unlimited-yet", { key: otherKey })).status).toBe(200);
  });

  it("can be switched off for deployments behind a rate-limiting gateway", async () => {
    const server = await startTestServer("pglite", { rateLimitEnabled: false });
    started.push(server);
    const key = await createBudgetAccount(server, "gateway-limited");
    const statuses = await burst([server], key, "/accounts/gateway-limited", BUDGET_LIMIT + 5);
    expect(statuses.every((status) => status === 200)).toBe(true);
  });

  it.skipIf(!process.env.REDIS_URL || !process.env.DATABASE_URL)(
    "shares the count across replicas through Redis",
    async () => {
      const redisPrefix = `switchboard-test-${randomBytes(4).toString("hex")}:`;
      const first = await startTestServer("postgres", {
        redisUrl: process.env.REDIS_URL ?? null,
        redisPrefix,
      });
      started.push(first);
      // A second replica on the same database and Redis, as behind a load balancer.
      const second = await startTestServer("postgres", {
        redisUrl: process.env.REDIS_URL ?? null,
        redisPrefix,
        database: first.app.settings.database,
      });
      started.push(second);
      const key = await createBudgetAccount(first, "shared-limit");
      const statuses = await burst([first, second], key, "/accounts/shared-limit", BUDGET_LIMIT + 1);
      expect(statuses.filter((status) => status === 200)).toHaveLength(BUDGET_LIMIT);
      expect(statuses[BUDGET_LIMIT]).toBe(429);
    },
  );
});
