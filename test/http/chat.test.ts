import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messages } from "../../src/db/schema.ts";
import { withAccount } from "../../src/db/tenant-scope.ts";
import { eventTypes, readStream, textOf } from "../support/sse-client.ts";
import { BACKENDS, startTestServer, type TestServer } from "../support/test-server.ts";

describe.each(BACKENDS)("chat with one agent on %s", (backend) => {
  let server: TestServer;
  let demoAccountId: string;

  beforeAll(async () => {
    server = await startTestServer(backend);
    demoAccountId = (await server.app.accounts.getBySlug("demo")).id;
  });
  afterAll(async () => {
    await server?.close();
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

  it("streams start, word-level text deltas, metadata and done, each frame with its seq as id", async () => {
    const streamed = await readStream(`${server.baseUrl}/accounts/demo/agents/simple-chat/stream`, {
      key: server.demoKey,
      body: { message: "Hello there, what can you do?" },
    });
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get("content-type")).toContain("text/event-stream");
    const types = eventTypes(streamed.events);
    expect(types[0]).toBe("start");
    expect(types.slice(-2)).toEqual(["metadata", "done"]);
    expect(types.filter((type) => type === "text_delta").length).toBeGreaterThan(5);
    streamed.frames.forEach((frame, index) => {
      expect(frame.id).toBe(String(index + 1));
    });
    const runIds = new Set(streamed.events.map((event) => event.run_id));
    expect(runIds.size).toBe(1);

    const start = streamed.events[0];
    expect(start).toMatchObject({
      type: "start",
      agent_schema: "simple-chat/simple-chat",
      instance: "simple-chat",
      depth: 0,
    });
    const metadata = streamed.events.at(-2);
    expect(metadata).toMatchObject({
      type: "metadata",
      agent_schema: "simple-chat/simple-chat",
      model: "offline",
    });
    if (metadata?.type !== "metadata") throw new Error("expected metadata");
    expect(metadata.usage.input_tokens).toBeGreaterThan(0);
    expect(metadata.usage.output_tokens).toBeGreaterThan(0);
    expect(textOf(streamed.events)).toContain("simple-chat");
  });

  it("answers the JSON endpoint with the same text the stream produced, and stores both messages", async () => {
    const body = { message: "Please summarise our onboarding checklist" };
    const json = await server.request("POST", "/accounts/demo/agents/simple-chat/chat", { body });
    expect(json.status).toBe(200);
    const streamed = await readStream(`${server.baseUrl}/accounts/demo/agents/simple-chat/stream`, {
      key: server.demoKey,
      body,
    });
    expect(json.body.text).toBe(textOf(streamed.events));
    expect(json.body).toMatchObject({
      agent: { instance: "simple-chat", type: "simple-chat", agent_schema: "simple-chat/simple-chat" },
      metadata: { model: "offline", agent_schema: "simple-chat/simple-chat", finish_reason: "stop" },
    });
    expect(json.body.usage).toEqual(json.body.metadata.usage);

    const stored = await storedMessages(json.body.conversation_id);
    expect(stored.map((message) => [message.role, message.status])).toEqual([
      ["user", "complete"],
      ["assistant", "complete"],
    ]);
    expect(stored[1]).toMatchObject({
      id: json.body.message_id,
      content: json.body.text,
      agentSchema: "simple-chat/simple-chat",
    });
    expect(stored[1]?.metadata).toMatchObject({ model: "offline" });
  });

  it("loads the conversation's history for the next turn", async () => {
    const first = await server.request("POST", "/accounts/demo/agents/simple-chat/chat", {
      body: { message: "My favourite colour is teal." },
    });
    const second = await server.request("POST", "/accounts/demo/agents/simple-chat/chat", {
      body: { message: "Which colour did I mention?", conversation_id: first.body.conversation_id },
    });
    expect(second.status).toBe(200);
    expect(second.body.conversation_id).toBe(first.body.conversation_id);
    // The earlier turn is part of the prompt: it costs input tokens the first turn did not.
    const earlierTurnTokens = first.body.usage.output_tokens;
    expect(second.body.usage.input_tokens).toBeGreaterThan(
      first.body.usage.input_tokens + earlierTurnTokens / 2,
    );
    expect((await storedMessages(first.body.conversation_id)).length).toBe(4);
  });

  it("counts requests and tokens in the account's usage", async () => {
    const before = await server.request("GET", "/accounts/demo");
    const chat = await server.request("POST", "/accounts/demo/agents/simple-chat/chat", {
      body: { message: "count me" },
    });
    const after = await server.request("GET", "/accounts/demo");
    expect(after.body.usage.today.requests).toBe(before.body.usage.today.requests + 1);
    expect(after.body.usage.today.output_tokens).toBe(
      before.body.usage.today.output_tokens + chat.body.usage.output_tokens,
    );
  });

  it("addresses an instance explicitly by type and slug, and by the phase-1 default-account path", async () => {
    const explicit = await server.request("POST", "/accounts/demo/chat/sales/sales", {
      body: { message: "hi" },
    });
    expect(explicit.status).toBe(200);
    expect(explicit.body.agent.type).toBe("sales");
    const wrongType = await server.request("POST", "/accounts/demo/chat/sales/simple-chat", {
      body: { message: "hi" },
    });
    expect(wrongType.status).toBe(404);
    expect(wrongType.body.error.code).toBe("AGENT_NOT_FOUND");

    const phaseOne = await server.request("POST", "/agents/simple-chat/chat", { body: { message: "hi" } });
    expect(phaseOne.status).toBe(200);
    expect(phaseOne.body.agent.instance).toBe("simple-chat");
    const phaseOneStream = await readStream(`${server.baseUrl}/agents/sales/stream`, {
      key: server.demoKey,
      body: { message: "hi" },
    });
    expect(eventTypes(phaseOneStream.events).at(-1)).toBe("done");
  });

  it("serves the EventSource form (GET with the message in the query)", async () => {
    const streamed = await readStream(
      `${server.baseUrl}/accounts/demo/agents/simple-chat/stream?message=${encodeURIComponent("hello from a GET")}`,
      { key: server.demoKey, method: "GET" },
    );
    expect(streamed.status).toBe(200);
    expect(eventTypes(streamed.events).at(-1)).toBe("done");
    expect(textOf(streamed.events)).toContain("hello from a GET");
  });

  it("refuses with clear 4xx codes before any event is sent", async () => {
    const cases: Array<[string, unknown, number, string]> = [
      ["/accounts/demo/agents/ghost/chat", { message: "hi" }, 404, "AGENT_NOT_FOUND"],
      ["/accounts/demo/agents/simple-chat/chat", { message: "" }, 400, "VALIDATION_FAILED"],
      ["/accounts/demo/agents/simple-chat/chat", { message: "hi", extra: 1 }, 400, "VALIDATION_FAILED"],
      ["/accounts/demo/agents/simple-chat/chat", { message: "a\u0000b" }, 400, "VALIDATION_FAILED"],
      [
        "/accounts/demo/agents/simple-chat/chat",
        { message: "hi", conversation_id: "nope" },
        400,
        "VALIDATION_FAILED",
      ],
      [
        "/accounts/demo/agents/simple-chat/chat",
        { message: "hi", conversation_id: "00000000-0000-4000-8000-000000000000" },
        404,
        "CONVERSATION_NOT_FOUND",
      ],
      [
        "/accounts/demo/agents/simple-chat/chat",
        { message: "hi", model: "openai:gpt-4o" },
        422,
        "MODEL_NOT_AVAILABLE",
      ],
    ];
    for (const [path, body, status, code] of cases) {
      const response = await server.request("POST", path, { body });
      expect(response.status, `${path} ${JSON.stringify(body)}`).toBe(status);
      expect(response.body.error.code).toBe(code);
    }
    const streamed = await readStream(`${server.baseUrl}/accounts/demo/agents/ghost/stream`, {
      key: server.demoKey,
      body: { message: "hi" },
    });
    expect(streamed.status).toBe(404);
    expect(streamed.errorBody.error.code).toBe("AGENT_NOT_FOUND");
  });

  it("answers 409 for an inactive instance, and chats again once it is active", async () => {
    await server.request("POST", "/accounts/demo/agents/digital-expert/status", {
      body: { status: "inactive" },
    });
    const refused = await server.request("POST", "/accounts/demo/agents/digital-expert/chat", {
      body: { message: "hi" },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("INSTANCE_INACTIVE");
    await server.request("POST", "/accounts/demo/agents/digital-expert/status", {
      body: { status: "active" },
    });
    const accepted = await server.request("POST", "/accounts/demo/agents/digital-expert/chat", {
      body: { message: "hi" },
    });
    expect(accepted.status).toBe(200);
  });

  it("keeps other accounts out of chat and their conversations", async () => {
    const created = await server.request("POST", "/accounts", {
      key: server.adminKey,
      body: { slug: "chat-outsider", name: "Outsider", tier: "budget" },
    });
    const outsiderKey = created.body.api_key;
    const demoChat = await server.request("POST", "/accounts/demo/agents/simple-chat/chat", {
      body: { message: "secret" },
    });

    const foreign = await server.request("POST", "/accounts/demo/agents/simple-chat/chat", {
      key: outsiderKey,
      body: { message: "hi" },
    });
    expect(foreign.status).toBe(404);
    // The phase-1 paths belong to the default account: other keys see nothing there either.
    const phaseOne = await server.request("POST", "/agents/simple-chat/chat", {
      key: outsiderKey,
      body: { message: "hi" },
    });
    expect(phaseOne.status).toBe(404);

    await server.request("POST", "/accounts/chat-outsider/agents", {
      key: outsiderKey,
      body: { type: "simple-chat", slug: "their-chat" },
    });
    const hijack = await server.request("POST", "/accounts/chat-outsider/agents/their-chat/chat", {
      key: outsiderKey,
      body: { message: "continue", conversation_id: demoChat.body.conversation_id },
    });
    expect(hijack.status).toBe(404);
    expect(hijack.body.error.code).toBe("CONVERSATION_NOT_FOUND");
    expect((await storedMessages(demoChat.body.conversation_id)).length).toBe(2);
  });
});
