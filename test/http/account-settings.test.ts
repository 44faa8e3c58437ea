import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/events/index.ts";
import { readStream } from "../support/sse-client.ts";
import { startTestServer, type TestServer } from "../support/test-server.ts";

type Nested = Extract<AgentEvent, { type: "agent_event" }>;

describe("account settings: the account's own router and multi-agent limits", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("pglite");
  });
  afterAll(async () => {
    await server?.close();
  });

  async function deepestRefusal(account: string, key: string) {
    const streamed = await readStream(`${server.baseUrl}/accounts/${account}/agents/echo/stream`, {
      key,
      body: { message: "Echo this question" },
    });
    return streamed.events
      .filter((event): event is Nested => event.type === "agent_event")
      .find((event) => event.event.type === "error");
  }

  it("starts empty, and router overrides change the next decision", async () => {
    expect((await server.request("GET", "/accounts/demo/settings")).body).toEqual({});
    const message = "How much does the pro plan cost per month?";
    const before = await server.request("POST", "/accounts/demo/route", { body: { message } });
    expect(before.body).toMatchObject({ instance: "sales", fallback: false });

    const updated = await server.request("PUT", "/accounts/demo/settings", {
      body: { router: { thresholds: { accept: 1, fallback: 1 } } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.router).toEqual({ thresholds: { accept: 1, fallback: 1 } });
    const after = await server.request("POST", "/accounts/demo/route", { body: { message } });
    expect(after.body).toMatchObject({ instance: "simple-chat", stage: "fallback", fallback: true });

    await server.request("PUT", "/accounts/demo/settings", { body: {} });
    const restored = await server.request("POST", "/accounts/demo/route", { body: { message } });
    expect(restored.body.instance).toBe("sales");
  });

  it("refuses settings that do not validate, naming the field, and stores nothing", async () => {
    const invalid = await server.request("PUT", "/accounts/demo/settings", {
      body: { router: { thresholds: { fallback: 2 } } },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.code).toBe("INVALID_ACCOUNT_SETTINGS");
    expect(invalid.body.error.details.issues[0].path).toBe("router.thresholds.fallback");
    const unknown = await server.request("PUT", "/accounts/demo/settings", { body: { routr: {} } });
    expect(unknown.status).toBe(400);
    const negative = await server.request("PUT", "/accounts/demo/settings", {
      body: { multi_agent: { max_nesting_depth: -1 } },
    });
    expect(negative.status).toBe(400);
    expect((await server.request("GET", "/accounts/demo/settings")).body).toEqual({});
  });

  it("lowers the nesting depth for the account, but never raises it above its tier", async () => {
    await server.request("POST", "/accounts/demo/agents", {
      body: {
        type: "simple-chat",
        slug: "echo",
        config: { tools: ["ask_agent"], delegates: ["echo"], limits: { cycle_guard: false, max_fan_out: 1 } },
      },
    });
    await server.request("PUT", "/accounts/demo/settings", {
      body: { multi_agent: { max_nesting_depth: 1 } },
    });
    expect(await deepestRefusal("demo", server.demoKey)).toMatchObject({
      depth: 1,
      event: { code: "DEPTH_LIMIT_EXCEEDED" },
    });

    const created = await server.request("POST", "/accounts", {
      key: server.adminKey,
      body: { slug: "small-budget", name: "Small", tier: "budget" },
    });
    const key = created.body.api_key;
    await server.request("POST", "/accounts/small-budget/agents", {
      key,
      body: {
        type: "simple-chat",
        slug: "echo",
        config: { tools: ["ask_agent"], delegates: ["echo"], limits: { cycle_guard: false, max_fan_out: 1 } },
      },
    });
    await server.request("PUT", "/accounts/small-budget/settings", {
      key,
      body: { multi_agent: { max_nesting_depth: 10 } },
    });
    // The budget tier allows 2 levels, whatever the account asks for.
    expect(await deepestRefusal("small-budget", key)).toMatchObject({ depth: 2 });

    const foreign = await server.request("GET", "/accounts/demo/settings", { key });
    expect(foreign.status).toBe(404);
    const foreignWrite = await server.request("PUT", "/accounts/demo/settings", { key, body: {} });
    expect(foreignWrite.status).toBe(404);
  });
});
