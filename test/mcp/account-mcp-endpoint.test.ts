import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/test-server.ts";

/** The official SDK client, over Streamable HTTP, to one account's endpoint. */
async function connect(server: TestServer, account: string, key: string): Promise<Client> {
  const client = new Client({ name: "switchboard-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${server.baseUrl}/accounts/${account}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${key}` } },
  });
  await client.connect(transport);
  return client;
}

const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-11-25",
    capabilities: {},
    clientInfo: { name: "raw", version: "1.0.0" },
  },
};
const MCP_HEADERS = { accept: "application/json, text/event-stream" };

describe("each account as an MCP server", () => {
  let server: TestServer;
  let client: Client;
  let otherKey: string;

  beforeAll(async () => {
    server = await startTestServer();
    client = await connect(server, "demo", server.demoKey);
    const created = await server.request("POST", "/accounts", {
      key: server.adminKey,
      body: { slug: "globex", name: "Globex", tier: "standard" },
    });
    otherKey = created.body.api_key;
    const provisioned = await server.request("POST", "/accounts/globex/agents", {
      key: otherKey,
      body: { type: "sales", slug: "globex-sales" },
    });
    expect(provisioned.status).toBe(201);
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it("negotiates the current protocol and lists the account's tools", async () => {
    const response = await server.request("POST", "/accounts/demo/mcp", {
      body: INITIALIZE,
      headers: MCP_HEADERS,
    });
    expect(response.status).toBe(200);
    expect(response.text).toContain('"protocolVersion":"2025-11-25"');

    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      "ask_agent",
      "list_agents",
      "register_metadata",
      "search_knowledge",
    ]);
    const ask = tools.find((tool) => tool.name === "ask_agent");
    expect(ask?.inputSchema.required).toEqual(expect.arrayContaining(["agent_name", "input_text"]));
  });

  it("lists the account's agents as discovery shows them", async () => {
    const result = await client.callTool({ name: "list_agents", arguments: {} });
    const agents = (result.structuredContent as { agents: Array<{ slug: string; health: unknown }> }).agents;
    const discovery = await server.request("GET", "/accounts/demo/agents");
    expect(agents.map((agent) => agent.slug)).toEqual(
      discovery.body.agents.map((agent: { slug: string }) => agent.slug),
    );
    expect(agents.map((agent) => agent.slug)).not.toContain("globex-sales");
  });

  it("asks an agent, streams its events as progress, and stores the exchange as a conversation", async () => {
    const progress: Progress[] = [];
    const result = await client.callTool(
      { name: "ask_agent", arguments: { agent_name: "simple-chat", input_text: "Hello, who are you?" } },
      undefined,
      { onprogress: (update) => progress.push(update) },
    );
    expect(result.isError).toBeFalsy();
    const answer = result.structuredContent as {
      status: string;
      text_response: string;
      agent_schema: string;
      conversation_id: string;
      trace_id: string;
      metadata: { model: string };
    };
    expect(answer).toMatchObject({ status: "success", agent_schema: "simple-chat/simple-chat" });
    expect(answer.text_response.length).toBeGreaterThan(0);
    expect(answer.metadata.model).toBe("offline");
    expect(answer.trace_id).toMatch(/^[0-9a-f]{32}$/);
    // The agent's own events, in order: started, its words, finished.
    const messages = progress.map((update) => update.message ?? "");
    expect(messages[0]).toBe("started (simple-chat/simple-chat)");
    expect(messages.at(-1)).toBe("done");
    expect(messages.join("")).toContain(answer.text_response.split(" ")[0]);
    expect(progress.map((update) => update.progress)).toEqual(progress.map((_update, index) => index + 1));

    const conversation = await server.request(
      "GET",
      `/accounts/demo/conversations/${answer.conversation_id}`,
    );
    expect(conversation.status).toBe(200);
    const [question] = conversation.body.messages;
    expect(question).toMatchObject({ role: "user", content: "Hello, who are you?" });
    expect(question.children[0]).toMatchObject({
      role: "assistant",
      content: answer.text_response,
      depth: 0,
    });
  });

  it("relays the asked agent's own children as nested events", async () => {
    const provisioned = await server.request("POST", "/accounts/demo/agents", {
      body: {
        type: "simple-research",
        slug: "coordinator",
        config: { tools: ["ask_agent"], delegates: ["simple-chat"] },
      },
    });
    expect(provisioned.status).toBe(201);
    const progress: Progress[] = [];
    const result = await client.callTool(
      { name: "ask_agent", arguments: { agent_name: "coordinator", input_text: "Tell me a fun fact" } },
      undefined,
      { onprogress: (update) => progress.push(update) },
    );
    expect(result.structuredContent).toMatchObject({
      status: "success",
      agent_schema: "simple-research/coordinator",
    });
    const messages = progress.map((update) => update.message ?? "");
    expect(messages).toContain("calling ask_agent");
    expect(messages).toContain("simple-chat/simple-chat: started (simple-chat/simple-chat)");
    // The SDK's Progress type leaves `_meta` out, but the notification's params carry it through.
    type WithEvent = Progress & { _meta?: { "switchboard/event"?: { type: string; depth?: number } } };
    const nested = progress
      .map((update) => (update as WithEvent)._meta?.["switchboard/event"])
      .find((event) => event?.type === "agent_event");
    expect(nested?.depth).toBe(1);
  });

  it("searches an agent's knowledge base", async () => {
    const ingested = await server.request("POST", "/accounts/demo/knowledge", {
      body: {
        agent: "simple-research",
        documents: [
          {
            title: "Returns policy",
            content: "Customers may return any anvil within 30 days for a full refund. Shipping is free.",
            source: "returns.md",
          },
        ],
      },
    });
    expect(ingested.status).toBe(201);
    const result = await client.callTool({
      name: "search_knowledge",
      arguments: { agent: "simple-research", query: "How long do I have to return an anvil?", top_k: 5 },
    });
    expect(result.isError).toBeFalsy();
    const found = result.structuredContent as {
      agent: string;
      results: Array<{ title: string; content: string }>;
    };
    expect(found.agent).toBe("simple-research");
    // The demo account may hold sample documents too; the anvil policy must be among the hits.
    const anvils = found.results.find((result) => result.title === "Returns policy");
    expect(anvils?.content).toContain("30 days");
    expect(found.results.length).toBeLessThanOrEqual(5);
  });

  it("records metadata on the conversation an ask_agent call returned", async () => {
    const asked = await client.callTool({
      name: "ask_agent",
      arguments: { agent_name: "simple-chat", input_text: "Say hi", stream_events: false },
    });
    const conversationId = (asked.structuredContent as { conversation_id: string }).conversation_id;
    const recorded = await client.callTool({
      name: "register_metadata",
      arguments: { conversation_id: conversationId, confidence: 0.8, fields: { reviewer: "mcp-test" } },
    });
    expect(recorded.structuredContent).toEqual({ status: "recorded", conversation_id: conversationId });
  });

  it("refuses a wrong key with 401", async () => {
    const response = await server.request("POST", "/accounts/demo/mcp", {
      key: "sb_not_a_real_key_0000000000000000",
      body: INITIALIZE,
      headers: MCP_HEADERS,
    });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("UNAUTHORIZED");
    await expect(connect(server, "demo", "sb_not_a_real_key_0000000000000000")).rejects.toThrow();
  });

  it("keeps accounts apart: another account's endpoint is 404 and its agents are not found", async () => {
    const response = await server.request("POST", "/accounts/globex/mcp", {
      body: INITIALIZE,
      headers: MCP_HEADERS,
    });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe("ACCOUNT_NOT_FOUND");
    await expect(connect(server, "globex", server.demoKey)).rejects.toThrow();

    const result = await client.callTool({
      name: "ask_agent",
      arguments: { agent_name: "globex-sales", input_text: "What do you sell?" },
    });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({
      status: "error",
      error: { code: "AGENT_NOT_FOUND" },
    });
    const search = await client.callTool({
      name: "search_knowledge",
      arguments: { agent: "globex-sales", query: "anything" },
    });
    expect(search.structuredContent).toMatchObject({ status: "error", error: { code: "AGENT_NOT_FOUND" } });

    // Globex's own key reaches its own agent through its own endpoint.
    const globex = await connect(server, "globex", otherKey);
    const own = await globex.callTool({
      name: "ask_agent",
      arguments: { agent_name: "globex-sales", input_text: "Hello", stream_events: false },
    });
    expect(own.structuredContent).toMatchObject({ status: "success", agent_schema: "sales/globex-sales" });
    await globex.close();
  });

  it("refuses browser origins that are not allowed, and offers no GET stream", async () => {
    const fromPage = await server.request("POST", "/accounts/demo/mcp", {
      body: INITIALIZE,
      headers: { ...MCP_HEADERS, origin: "https://evil.example" },
    });
    expect(fromPage.status).toBe(403);
    expect(fromPage.body.error.code).toBe("ORIGIN_NOT_ALLOWED");

    const stream = await server.request("GET", "/accounts/demo/mcp", {
      headers: { accept: "text/event-stream" },
    });
    expect(stream.status).toBe(405);
    expect(stream.headers.get("allow")).toBe("POST");
  });

  it("refuses a body over the size limit before the MCP server sees it", async () => {
    const huge = { ...INITIALIZE, params: { ...INITIALIZE.params, padding: "x".repeat(1_100_000) } };
    const response = await server.request("POST", "/accounts/demo/mcp", { body: huge, headers: MCP_HEADERS });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe("PAYLOAD_TOO_LARGE");
  });
});
