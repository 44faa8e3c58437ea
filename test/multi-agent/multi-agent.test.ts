import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/events/index.ts";
import { eventTypes, readStream, textOf } from "../support/sse-client.ts";
import { baseTestSettings, startTestServer, type TestServer } from "../support/test-server.ts";
import { startServerWithWire, type WireServer } from "../support/wire-test-server.ts";

type Nested = Extract<AgentEvent, { type: "agent_event" }>;

function nested(events: AgentEvent[]): Nested[] {
  return events.filter((event): event is Nested => event.type === "agent_event");
}

async function provision(server: TestServer, body: Record<string, unknown>) {
  const response = await server.request("POST", "/accounts/demo/agents", { body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
}

describe("multi-agent: ask_agent, nested events, inherited context", () => {
  let wire: WireServer;
  let server: TestServer;

  beforeAll(async () => {
    ({ server, wire } = await startServerWithWire());
  });
  afterAll(async () => {
    await server?.close();
    await wire?.close();
  });

  it("streams two parallel children at depth 1 before the parent's answer, and aggregates their metadata", async () => {
    const streamed = await readStream(`${server.baseUrl}/accounts/demo/agents/deep-research/stream`, {
      key: server.demoKey,
      body: { message: "Compare our refund policy and our security practices" },
    });
    const events = streamed.events;
    const children = nested(events);
    const childIds = new Set(children.map((event) => event.child_message_id));
    // Two parts researched in parallel (plus a reflection round when the knowledge base is empty).
    expect(childIds.size).toBeGreaterThanOrEqual(2);
    expect(
      children.every((event) => event.depth === 1 && event.child_agent === "simple-research/simple-research"),
    ).toBe(true);
    const start = events[0];
    if (start?.type !== "start") throw new Error("expected start first");
    expect(children.every((event) => event.parent_message_id === start.message_id)).toBe(true);
    // Each child's own stream arrives whole and in order inside the wrappers.
    for (const id of childIds) {
      const own = children.filter((event) => event.child_message_id === id).map((event) => event.event.type);
      expect(own[0]).toBe("start");
      expect(own.slice(-2)).toEqual(["metadata", "done"]);
    }
    // Both children were under way at once: the second started before the first was done.
    const firstDone = children.findIndex((event) => event.event.type === "done");
    const starts = children.filter((event, index) => event.event.type === "start" && index < firstDone);
    expect(starts.length).toBe(2);

    const lastChildEvent = events.findLastIndex((event) => event.type === "agent_event");
    const firstParentText = events.findIndex((event) => event.type === "text_delta");
    expect(lastChildEvent).toBeLessThan(firstParentText);
    expect(textOf(events)).toContain("Our refund policy");

    const metadata = events.find((event) => event.type === "metadata");
    if (metadata?.type !== "metadata") throw new Error("expected metadata");
    expect(metadata.child_agents).toHaveLength(childIds.size);
    expect(metadata.child_agents.every((child) => child.status === "success")).toBe(true);
    const childTokens = metadata.child_agents.reduce(
      (sum, child) => sum + (child.usage?.total_tokens ?? 0),
      0,
    );
    expect(metadata.aggregated_usage?.total_tokens).toBe(metadata.usage.total_tokens + childTokens);

    // The stored conversation is the same tree.
    const tree = await server.request("GET", `/accounts/demo/conversations/${start.conversation_id}`);
    expect(tree.status).toBe(200);
    const answer = tree.body.messages[1];
    expect(answer).toMatchObject({
      role: "assistant",
      agent_schema: "deep-research/deep-research",
      depth: 0,
    });
    expect(answer.children.map((child: { id: string }) => child.id).sort()).toEqual([...childIds].sort());
    expect(answer.children[0]).toMatchObject({
      depth: 1,
      status: "complete",
      agent_schema: "simple-research/simple-research",
    });
  });

  it("carries nested events as data-agent-event parts in the AI SDK UI stream", async () => {
    const response = await fetch(`${server.baseUrl}/accounts/demo/agents/deep-research/stream?format=ui`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.demoKey}`, "content-type": "application/json" },
      body: JSON.stringify({ message: "Compare pricing and support" }),
    });
    expect(response.headers.get("x-vercel-ai-ui-message-stream")).toBe("v1");
    const text = await response.text();
    expect(text).toContain('"type":"data-agent-event"');
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  it("stops a self-recursive agent at the depth limit with a clear error, and still answers", async () => {
    await provision(server, {
      type: "simple-chat",
      slug: "echo",
      config: { tools: ["ask_agent"], delegates: ["echo"], limits: { cycle_guard: false, max_fan_out: 1 } },
    });
    const streamed = await readStream(`${server.baseUrl}/accounts/demo/agents/echo/stream`, {
      key: server.demoKey,
      body: { message: "Echo this question" },
    });
    const children = nested(streamed.events);
    const depths = new Set(children.map((event) => event.depth));
    expect([...depths].sort()).toEqual([1, 2, 3, 4, 5]);
    const refusal = children.find((event) => event.event.type === "error");
    expect(refusal?.depth).toBe(5);
    expect(refusal?.event).toMatchObject({ type: "error", code: "DEPTH_LIMIT_EXCEEDED" });
    const refusedResult = children.find((event) => event.depth === 5 && event.event.type === "tool_result");
    expect(refusedResult?.event).toMatchObject({
      type: "tool_result",
      output: { status: "error", error: { code: "DEPTH_LIMIT_EXCEEDED" } },
    });
    expect(eventTypes(streamed.events).slice(-2)).toEqual(["metadata", "done"]);
    expect(textOf(streamed.events).length).toBeGreaterThan(0);
  });

  it("refuses a cycle when the cycle guard is on", async () => {
    await provision(server, {
      type: "simple-chat",
      slug: "ping",
      config: { tools: ["ask_agent"], delegates: ["pong"], limits: { max_fan_out: 1 } },
    });
    await provision(server, {
      type: "simple-chat",
      slug: "pong",
      config: { tools: ["ask_agent"], delegates: ["ping"], limits: { max_fan_out: 1 } },
    });
    const streamed = await readStream(`${server.baseUrl}/accounts/demo/agents/ping/stream`, {
      key: server.demoKey,
      body: { message: "Bounce this" },
    });
    const refusal = nested(streamed.events).find((event) => event.event.type === "error");
    expect(refusal).toMatchObject({
      depth: 1,
      child_agent: "simple-chat/pong",
      event: { code: "CYCLE_DETECTED" },
    });
    expect(eventTypes(streamed.events).at(-1)).toBe("done");
  });

  it("passes context down the tree; an explicit override reaches only its own subtree", async () => {
    // A model-driven lead: its provider decides the ask_agent calls, arguments included.
    await provision(server, {
      type: "simple-chat",
      slug: "lead",
      config: { model: "openai-compatible:wire-model", tools: ["ask_agent"], delegates: ["middle", "leaf"] },
    });
    await provision(server, {
      type: "simple-chat",
      slug: "middle",
      config: { tools: ["ask_agent"], delegates: ["leaf"], limits: { max_fan_out: 1 } },
    });
    await provision(server, { type: "simple-chat", slug: "leaf" });
    wire.enqueue({
      kind: "tool-calls",
      calls: [
        {
          name: "ask_agent",
          arguments: { agent_name: "middle", input_text: "Ask the leaf", user_id: "override-user" },
        },
        { name: "ask_agent", arguments: { agent_name: "leaf", input_text: "Answer directly" } },
        { name: "ask_agent", arguments: { agent_name: "sales", input_text: "Not allowed" } },
      ],
    });
    wire.enqueue({ kind: "text", text: "Done asking." });
    const response = await server.request("POST", "/accounts/demo/agents/lead/chat", {
      body: { message: "Start the chain", user_id: "root-user", is_eval: true },
    });
    expect(response.status).toBe(200);
    expect(
      response.body.metadata.child_agents.map((child: { status: string }) => child.status).sort(),
    ).toEqual(["error", "success", "success"]);

    const tree = await server.request("GET", `/accounts/demo/conversations/${response.body.conversation_id}`);
    const root = tree.body.messages[1];
    const rootContext = root.metadata.context;
    expect(rootContext).toMatchObject({ user_id: "root-user", is_eval: true, depth: 0 });
    const bySchema = Object.fromEntries(
      root.children.map((child: { agent_schema: string }) => [child.agent_schema, child]),
    );
    const middle = bySchema["simple-chat/middle"];
    const directLeaf = bySchema["simple-chat/leaf"];
    const grandchild = middle.children[0];
    expect(grandchild.agent_schema).toBe("simple-chat/leaf");
    for (const node of [middle, directLeaf, grandchild]) {
      expect(node.metadata.trace_id).toBe(root.metadata.trace_id);
      expect(node.metadata.context).toMatchObject({ session_id: rootContext.session_id, is_eval: true });
    }
    expect(middle.metadata.context).toMatchObject({ user_id: "override-user", depth: 1 });
    expect(grandchild.metadata.context).toMatchObject({ user_id: "override-user", depth: 2 });
    expect(directLeaf.metadata.context).toMatchObject({ user_id: "root-user", depth: 1 });
    expect(grandchild.metadata.context.parent_run_id).toBe(middle.metadata.context.run_id);

    // The agent that was not a delegate came back as an error result the lead could read.
    const secondRequest = wire.requests.at(-1)?.body.messages ?? [];
    expect(JSON.stringify(secondRequest)).toContain("NOT_DELEGABLE");
  });
});

describe("multi-agent guards: child timeout and the request's child-run budget", () => {
  let wire: WireServer;
  let server: TestServer;

  beforeAll(async () => {
    ({ server, wire } = await startServerWithWire((base) => ({
      multiAgent: { ...base.multiAgent, childTimeoutSeconds: 1, maxChildRunsPerRequest: 1 },
    })));
  });
  afterAll(async () => {
    await server?.close();
    await wire?.close();
  });

  it("cuts off a child that stalls, and the parent still answers", async () => {
    await provision(server, {
      type: "simple-chat",
      slug: "staller",
      config: { model: "openai-compatible:wire-model" },
    });
    await provision(server, {
      type: "deep-research",
      slug: "waiter",
      config: { delegates: ["staller"], limits: { max_fan_out: 1 } },
    });
    wire.enqueue({ kind: "stall" });
    const started = performance.now();
    const streamed = await readStream(`${server.baseUrl}/accounts/demo/agents/waiter/stream`, {
      key: server.demoKey,
      body: { message: "Wait for the slow one" },
    });
    expect(performance.now() - started).toBeLessThan(10_000);
    const timeoutError = streamed.events.find((event) => event.type === "error");
    expect(timeoutError).toMatchObject({ code: "CHILD_TIMEOUT", agent_schema: "simple-chat/staller" });
    const metadata = streamed.events.find((event) => event.type === "metadata");
    expect(metadata).toMatchObject({ child_agents: [{ agent: "simple-chat/staller", status: "error" }] });
    expect(eventTypes(streamed.events).at(-1)).toBe("done");
    expect(textOf(streamed.events)).toContain("Wait for the slow one");
  });

  it("stops a tree that exceeds the request's child-run budget", async () => {
    const streamed = await readStream(`${server.baseUrl}/accounts/demo/agents/deep-research/stream`, {
      key: server.demoKey,
      body: { message: "Compare our refund policy and our security practices" },
    });
    const refusal = streamed.events.find((event) => event.type === "error");
    expect(refusal).toMatchObject({ code: "CHILD_RUN_BUDGET_EXCEEDED" });
    const metadata = streamed.events.find((event) => event.type === "metadata");
    if (metadata?.type !== "metadata") throw new Error("expected metadata");
    expect(metadata.child_agents.map((child) => child.status).sort()).toEqual(["error", "success"]);
    expect(new Set(nested(streamed.events).map((event) => event.child_message_id)).size).toBe(1);
  });
});

describe("multi-agent with the event relay off", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("pglite", {
      multiAgent: { ...baseTestSettings().multiAgent, eventRelayEnabled: false },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("runs children silently and returns only their results", async () => {
    const streamed = await readStream(`${server.baseUrl}/accounts/demo/agents/deep-research/stream`, {
      key: server.demoKey,
      body: { message: "Compare pricing and security" },
    });
    expect(nested(streamed.events)).toHaveLength(0);
    const metadata = streamed.events.find((event) => event.type === "metadata");
    if (metadata?.type !== "metadata") throw new Error("expected metadata");
    // The children ran (two parts, and a reflection round on the empty knowledge base), unseen.
    expect(metadata.child_agents.length).toBeGreaterThanOrEqual(2);
    expect(metadata.child_agents.every((child) => child.status === "success")).toBe(true);
    expect(textOf(streamed.events)).toContain("Pricing");
  });
});
