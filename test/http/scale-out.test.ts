import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/test-server.ts";

/** Two stateless replicas behind one database and one Redis, as behind a load balancer. */
describe.skipIf(!process.env.REDIS_URL || !process.env.DATABASE_URL)(
  "scale-out on PostgreSQL and Redis",
  () => {
    let first: TestServer;
    let second: TestServer;

    beforeAll(async () => {
      const redisPrefix = `switchboard-test-${randomBytes(4).toString("hex")}:`;
      const adminKey = `sb_admin_${randomBytes(24).toString("base64url")}`;
      const shared = { redisUrl: process.env.REDIS_URL ?? null, redisPrefix, adminKey };
      first = await startTestServer("postgres", shared);
      second = await startTestServer("postgres", { ...shared, database: first.app.settings.database });
    });
    afterAll(async () => {
      await second?.close();
      await first?.close();
    });

    it("shows a config change made on one replica in the other replica's next answers", async () => {
      // Warm the second replica's instance cache with the old config.
      const before = await second.request("GET", "/accounts/demo/agents/simple-chat", { key: first.demoKey });
      await second.request("POST", "/accounts/demo/agents/simple-chat/chat", {
        key: first.demoKey,
        body: { message: "hi" },
      });

      const updated = await first.request("PUT", "/accounts/demo/agents/simple-chat/config", {
        key: first.demoKey,
        body: { limits: { max_steps: 1 } },
      });
      expect(updated.body.version).toBe(before.body.version + 1);

      const seen = await second.request("GET", "/accounts/demo/agents/simple-chat", { key: first.demoKey });
      expect(seen.body.version).toBe(before.body.version + 1);
      expect(seen.body.config.limits.max_steps).toBe(1);

      await first.request("POST", "/accounts/demo/agents/simple-chat/status", {
        key: first.demoKey,
        body: { status: "inactive" },
      });
      const refused = await second.request("POST", "/accounts/demo/agents/simple-chat/chat", {
        key: first.demoKey,
        body: { message: "hi" },
      });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe("INSTANCE_INACTIVE");
    });

    it("continues a conversation on the other replica", async () => {
      const started = await first.request("POST", "/accounts/demo/agents/sales/chat", {
        key: first.demoKey,
        body: { message: "I run a bakery." },
      });
      const continued = await second.request("POST", "/accounts/demo/agents/sales/chat", {
        key: first.demoKey,
        body: { message: "What did I say I run?", conversation_id: started.body.conversation_id },
      });
      expect(continued.status).toBe(200);
      expect(continued.body.usage.input_tokens).toBeGreaterThan(started.body.usage.input_tokens);
    });
  },
);
