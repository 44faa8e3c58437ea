import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messages } from "../../src/db/schema.ts";
import { withAccount } from "../../src/db/tenant-scope.ts";
import { readSseStream } from "../../src/events/index.ts";
import { eventTypes, readStream, textOf } from "../support/sse-client.ts";
import type { TestServer } from "../support/test-server.ts";
import { startServerWithWire, type WireServer } from "../support/wire-test-server.ts";

/** The runtime against a real provider wire format: config reloads, faults and cancellation. */
describe("agent runtime lifecycle", () => {
  let wire: WireServer;
  let server: TestServer;
  let demoAccountId: string;

  beforeAll(async () => {
    ({ server, wire } = await startServerWithWire((base) => ({
      models: { ...base.models, offlineChunkDelayMs: 25 },
      sseHeartbeatMs: 100,
    })));
    demoAccountId = (await server.app.accounts.getBySlug("demo")).id;
  });
  afterAll(async () => {
    await server?.close();
    await wire?.close();
  });

  async function storedMessages(conversationId: string) {
    return withAccount(server.app.database.db, demoAccountId, (transaction) =>
      transaction
        .select()
        .from(messages)
        .where(eq(messages.conversationId, conversationId))
        .orderBy(messages.position),
    );
  }

  async function configure(agent: string, overrides: Record<string, unknown>) {
    const response = await server.request("PUT", `/accounts/demo/agents/${agent}/config`, {
      body: overrides,
    });
    expect(response.status).toBe(200);
    return response.body;
  }

  it("uses a changed system prompt and model on the next request, without a restart", async () => {
    await configure("simple-chat", {
      model: "openai-compatible:wire-model",
      system_prompt: "You are prompt one.",
    });
    wire.enqueue({
      kind: "text",
      text: "First answer from the wire.",
      usage: { prompt_tokens: 11, completion_tokens: 5 },
    });
    const first = await server.request("POST", "/accounts/demo/agents/simple-chat/chat", {
      body: { message: "hi" },
    });
    expect(first.status).toBe(200);
    expect(first.body.text).toBe("First answer from the wire.");
    expect(first.body.metadata.model).toBe("openai-compatible:wire-model");
    expect(first.body.usage).toMatchObject({ input_tokens: 11, output_tokens: 5 });
    const firstRequest = wire.requests.at(-1);
    expect(firstRequest?.body.model).toBe("wire-model");
    expect(JSON.stringify(firstRequest?.body.messages?.[0])).toContain("You are prompt one.");

    await configure("simple-chat", {
      model: "openai-compatible:wire-model",
      system_prompt: "You are prompt two.",
    });
    wire.enqueue({ kind: "text", text: "Second answer." });
    const second = await server.request("POST", "/accounts/demo/agents/simple-chat/chat", {
      body: { message: "hi" },
    });
    expect(second.body.text).toBe("Second answer.");
    expect(JSON.stringify(wire.requests.at(-1)?.body.messages?.[0])).toContain("You are prompt two.");

    // And back to the offline model: the next answer says so in its metadata.
    await configure("simple-chat", { model: "offline" });
    const third = await server.request("POST", "/accounts/demo/agents/simple-chat/chat", {
      body: { message: "hi" },
    });
    expect(third.body.metadata.model).toBe("offline");
    await configure("simple-chat", {});
  });

  it("streams a provider's tool call and result through the run", async () => {
    await configure("sales", { model: "openai-compatible:wire-model", tools: ["register_metadata"] });
    wire.enqueue({
      kind: "tool-calls",
      calls: [{ name: "register_metadata", arguments: { confidence: 0.8 } }],
    });
    wire.enqueue({ kind: "text", text: "Our plans start at 10 USD." });
    const streamed = await readStream(`${server.baseUrl}/accounts/demo/agents/sales/stream`, {
      key: server.demoKey,
      body: { message: "what does it cost?" },
    });
    const types = eventTypes(streamed.events);
    expect(types.indexOf("tool_call")).toBeLessThan(types.indexOf("tool_result"));
    expect(types.indexOf("tool_result")).toBeLessThan(types.indexOf("text_delta"));
    const metadata = streamed.events.find((event) => event.type === "metadata");
    expect(metadata).toMatchObject({ confidence: 0.8, usage: { steps: 2 } });
    expect(textOf(streamed.events)).toBe("Our plans start at 10 USD.");
    await configure("sales", {});
  });

  const faults: Array<[string, Parameters<WireServer["enqueue"]>[0], string, number]> = [
    ["429", { kind: "error", status: 429, message: "Too many requests" }, "PROVIDER_RATE_LIMITED", 502],
    ["500", { kind: "error", status: 500, message: "upstream exploded" }, "PROVIDER_UNAVAILABLE", 502],
    ["stall", { kind: "stall" }, "RUN_TIMEOUT", 504],
  ];
  it.each(faults)(
    "turns a provider %s into an error event then done, keeping the user's message",
    async (_label, reply, code, status) => {
      await configure("simple-research", {
        model: "openai-compatible:wire-model",
        limits: { timeout_seconds: 1 },
      });
      wire.enqueue(reply);
      const streamed = await readStream(`${server.baseUrl}/accounts/demo/agents/simple-research/stream`, {
        key: server.demoKey,
        body: { message: "where is the handbook?" },
      });
      expect(streamed.status).toBe(200);
      expect(eventTypes(streamed.events).slice(-3)).toEqual(["metadata", "error", "done"]);
      expect(streamed.events.at(-2)).toMatchObject({
        type: "error",
        code,
        agent_schema: "simple-research/simple-research",
      });
      expect(streamed.events.at(-1)).toMatchObject({ type: "done", finish_reason: "error" });

      const start = streamed.events[0];
      if (start?.type !== "start") throw new Error("expected a start event");
      const stored = await storedMessages(start.conversation_id);
      expect(stored.map((message) => [message.role, message.status])).toEqual([
        ["user", "complete"],
        ["assistant", "error"],
      ]);
      expect(stored[0]?.content).toBe("where is the handbook?");

      wire.enqueue(reply);
      const json = await server.request("POST", "/accounts/demo/agents/simple-research/chat", {
        body: { message: "again?" },
      });
      expect(json.status).toBe(status);
      expect(json.body.error.code).toBe(code);
      expect(json.body.error.details.conversation_id).toMatch(/^[0-9a-f-]{36}$/);

      // The server is still fine.
      expect((await server.request("GET", "/healthz")).status).toBe(200);
      await configure("simple-research", {});
    },
  );

  it("sends heartbeat comments while the model is silent", async () => {
    await configure("simple-chat", { model: "openai-compatible:wire-model", limits: { timeout_seconds: 1 } });
    wire.enqueue({ kind: "stall" });
    const streamed = await readStream(`${server.baseUrl}/accounts/demo/agents/simple-chat/stream`, {
      key: server.demoKey,
      body: { message: "are you there?" },
    });
    expect(streamed.raw).toMatch(/^: heartbeat$/m);
    await configure("simple-chat", {});
  });

  it("aborts the model call when the client disconnects and stores the partial answer", async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.baseUrl}/accounts/demo/agents/simple-chat/stream`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.demoKey}`, "content-type": "application/json" },
      body: JSON.stringify({ message: "Tell me everything you can about our onboarding process" }),
      signal: controller.signal,
    });
    let conversationId = "";
    let deltas = 0;
    try {
      for await (const frame of readSseStream(response.body as AsyncIterable<Uint8Array>)) {
        const event = JSON.parse(frame.data) as { type: string; conversation_id?: string };
        if (event.type === "start") conversationId = event.conversation_id ?? "";
        if (event.type === "text_delta") deltas += 1;
        if (deltas === 3) controller.abort();
      }
    } catch (error) {
      expect((error as Error).name).toBe("AbortError");
    }
    expect(conversationId).not.toBe("");

    // The run notices the disconnect, stops the offline model mid-answer and stores what it had.
    let stored = await storedMessages(conversationId);
    for (let attempt = 0; attempt < 50 && stored.length < 2; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      stored = await storedMessages(conversationId);
    }
    const answer = stored[1];
    expect(answer?.status).toBe("aborted");
    expect(answer?.content.length).toBeGreaterThan(0);
    expect(answer?.metadata).toMatchObject({ finish_reason: "aborted" });

    const complete = await server.request("POST", "/accounts/demo/agents/simple-chat/chat", {
      body: { message: "Tell me everything you can about our onboarding process" },
    });
    expect(answer?.content.length).toBeLessThan(complete.body.text.length);
  });
});
