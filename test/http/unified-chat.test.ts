import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventTypes, readStream } from "../support/sse-client.ts";
import { startTestServer, type TestServer } from "../support/test-server.ts";

describe("unified account chat and the router", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("pglite");
  });
  afterAll(async () => {
    await server?.close();
  });

  const route = (message: string, conversationId?: string) =>
    server.request("POST", "/accounts/demo/route", {
      body: conversationId ? { message, conversation_id: conversationId } : { message },
    });

  it.each([
    ["How much does the pro plan cost per month?", "sales"],
    ["What does our employee handbook say about parental leave?", "simple-research"],
    ["Write an in-depth report comparing our three deployment options", "deep-research"],
    ["As a security expert, how should we rotate our encryption keys?", "digital-expert"],
    ["hi there, how are you today?", "simple-chat"],
  ])("routes %j to %s, with confidence, stage, alternatives and timing", async (message, expected) => {
    const response = await route(message);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ type: expected, instance: expected });
    expect(response.body.confidence).toBeGreaterThanOrEqual(0);
    expect(response.body.confidence).toBeLessThanOrEqual(1);
    expect(["fast", "cache", "fallback"]).toContain(response.body.stage);
    expect(Array.isArray(response.body.alternatives)).toBe(true);
    expect(response.body.ms).toBeGreaterThanOrEqual(0);
  });

  it("falls back to simple-chat for nonsense, and says so", async () => {
    const response = await route("qwzx blorp fnarg");
    expect(response.body).toMatchObject({ type: "simple-chat", stage: "fallback", fallback: true });
    expect(response.body.reason.length).toBeGreaterThan(0);
  });

  it("decides without running an agent", async () => {
    const before = await server.request("GET", "/accounts/demo");
    await route("How much does the enterprise plan cost?");
    const after = await server.request("GET", "/accounts/demo");
    expect(after.body.usage.today.requests).toBe(before.body.usage.today.requests);
  });

  it("answers through the chosen agent and says which and why; the stream opens with the routing event", async () => {
    const json = await server.request("POST", "/accounts/demo/chat", {
      body: { message: "How much is the pro plan?" },
    });
    expect(json.status).toBe(200);
    expect(json.body.agent).toMatchObject({ instance: "sales", type: "sales" });
    expect(json.body.routing).toMatchObject({ agent_type: "sales", instance: "sales" });
    expect(json.body.handoff).toBeNull();

    const streamed = await readStream(`${server.baseUrl}/accounts/demo/chat/stream`, {
      key: server.demoKey,
      body: { message: "What does the handbook say about remote work?" },
    });
    expect(eventTypes(streamed.events).slice(0, 2)).toEqual(["routing", "start"]);
    expect(streamed.events[0]).toMatchObject({ type: "routing", agent_type: "simple-research", seq: 1 });
    expect(streamed.events[1]).toMatchObject({
      type: "start",
      agent_schema: "simple-research/simple-research",
    });
  });

  it("keeps a follow-up with the current agent, and hands off with a summary on a clear topic change", async () => {
    const first = await server.request("POST", "/accounts/demo/chat", {
      body: { message: "How much does the pro plan cost for a team of 20?" },
    });
    expect(first.body.agent.instance).toBe("sales");
    const conversationId = first.body.conversation_id;

    const followUp = await server.request("POST", "/accounts/demo/chat", {
      // Means nothing on its own: only the conversation says who should answer.
      body: { message: "ok, and what about the other option?", conversation_id: conversationId },
    });
    expect(followUp.body.routing).toMatchObject({ instance: "sales", stage: "sticky" });
    expect(followUp.body.handoff).toBeNull();

    const switched = await readStream(`${server.baseUrl}/accounts/demo/chat/stream`, {
      key: server.demoKey,
      body: {
        message: "As a security expert, how should we protect customer data under GDPR?",
        conversation_id: conversationId,
      },
    });
    expect(eventTypes(switched.events).slice(0, 3)).toEqual(["routing", "handoff", "start"]);
    const handoff = switched.events[1];
    expect(handoff).toMatchObject({ type: "handoff", from: "sales", to: "digital-expert" });
    if (handoff?.type !== "handoff") throw new Error("expected a handoff event");
    expect(handoff.summary.length).toBeGreaterThan(20);
    expect(handoff.summary.toLowerCase()).toContain("pro plan");

    // The handoff is part of the conversation, and the new agent keeps it on later turns.
    const tree = await server.request("GET", `/accounts/demo/conversations/${conversationId}`);
    const stored = tree.body.messages.find((message: { role: string }) => message.role === "system");
    expect(stored).toMatchObject({ content: handoff.summary, agent_schema: "digital-expert" });
    expect(stored.metadata).toEqual({ handoff: { from: "sales", to: "digital-expert" } });
  });

  it("uses a changed routing description on the next request", async () => {
    const message = "Can you recommend a sourdough starter recipe for the bakery?";
    const before = await route(message);
    expect(before.body.instance).not.toBe("simple-research");

    const updated = await server.request("PUT", "/accounts/demo/agents/simple-research/config", {
      body: {
        routing: {
          description: "Bakery recipes: sourdough starters, bread, pastry and baking techniques.",
          examples: [
            "recommend a sourdough starter recipe",
            "how do I bake rye bread?",
            "what is a good recipe for croissants?",
            "bakery recipe for a sourdough loaf",
          ],
          keywords: ["sourdough", "recipe", "bakery", "bread", "baking"],
        },
      },
    });
    expect(updated.status).toBe(200);
    const after = await route(message);
    expect(after.body).toMatchObject({ instance: "simple-research", type: "simple-research" });
    await server.request("PUT", "/accounts/demo/agents/simple-research/config", { body: {} });
  });

  it("never routes to an inactive instance", async () => {
    await server.request("POST", "/accounts/demo/agents/sales/status", { body: { status: "inactive" } });
    const response = await route("How much does the pro plan cost per month?");
    expect(response.body.instance).not.toBe("sales");
    await server.request("POST", "/accounts/demo/agents/sales/status", { body: { status: "active" } });
  });

  it("serves the legacy paths on the default account with a Deprecation header", async () => {
    const legacy = await server.request("POST", "/chat", { body: { message: "How much is the pro plan?" } });
    expect(legacy.status).toBe(200);
    expect(legacy.headers.get("deprecation")).toBe("true");
    expect(legacy.headers.get("link")).toContain("/accounts/demo/chat");
    expect(legacy.body.routing.instance).toBe("sales");

    const streamed = await readStream(
      `${server.baseUrl}/events/stream?message=${encodeURIComponent("hello there!")}`,
      {
        key: server.demoKey,
        method: "GET",
      },
    );
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get("deprecation")).toBe("true");
    expect(eventTypes(streamed.events)[0]).toBe("routing");
    expect(eventTypes(streamed.events).at(-1)).toBe("done");
  });

  it("refuses another account's conversation and bad input with 4xx codes", async () => {
    const unknown = await route("hello", "00000000-0000-4000-8000-000000000000");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("CONVERSATION_NOT_FOUND");
    const empty = await server.request("POST", "/accounts/demo/route", { body: { message: "" } });
    expect(empty.status).toBe(400);
    const created = await server.request("POST", "/accounts", {
      key: server.adminKey,
      body: { slug: "route-outsider", name: "Outsider", tier: "budget" },
    });
    const foreign = await server.request("POST", "/accounts/demo/route", {
      key: created.body.api_key,
      body: { message: "hi" },
    });
    expect(foreign.status).toBe(404);
    const legacyForeign = await server.request("POST", "/chat", {
      key: created.body.api_key,
      body: { message: "hi" },
    });
    expect(legacyForeign.status).toBe(404);
  });
});
