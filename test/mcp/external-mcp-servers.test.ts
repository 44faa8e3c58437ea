import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AgentEvent } from "../../src/events/index.ts";
import { readStream } from "../support/sse-client.ts";
import { type ExternalMcpServer, startExternalMcpServer } from "./support/external-mcp-server.ts";
import { type LoggedTestServer, startLoggedTestServer } from "./support/logged-test-server.ts";

async function unusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return address.port;
}

const TOKEN = `crm-${randomBytes(16).toString("hex")}`;
const ROTATED_TOKEN = `crm-${randomBytes(16).toString("hex")}`;

type ToolResult = Extract<AgentEvent, { type: "tool_result" }>;

describe("agents using external MCP servers", () => {
  let crm: ExternalMcpServer;
  let catalog: ExternalMcpServer;
  let downUrl: string;
  let server: LoggedTestServer;
  let accountId: string;
  let instanceId: string;

  const provision = async (slug: string, mcpServers: unknown[]) => {
    const response = await server.request("POST", "/accounts/demo/agents", {
      body: { type: "simple-chat", slug, config: { mcp_servers: mcpServers } },
    });
    expect(response.status).toBe(201);
    return response.body.id as string;
  };
  const stream = (slug: string, message: string) =>
    readStream(`${server.baseUrl}/accounts/demo/agents/${slug}/stream`, {
      key: server.demoKey,
      body: { message },
    });
  const discovered = async (slug: string) => {
    const listed = await server.request("GET", "/accounts/demo/agents");
    return listed.body.agents.find((agent: { slug: string }) => agent.slug === slug).capabilities.mcp_servers;
  };

  beforeAll(async () => {
    crm = await startExternalMcpServer({ stateful: true });
    catalog = await startExternalMcpServer({ stateful: false });
    const downPort = await unusedPort();
    downUrl = `http://127.0.0.1:${downPort}/mcp`;
    server = await startLoggedTestServer({
      SWITCHBOARD_SECRETS_KEY: randomBytes(32).toString("base64"),
      SWITCHBOARD_MCP_ALLOWED_HOSTS: `${crm.host},${catalog.host},127.0.0.1:${downPort}`,
    });
    accountId = (await server.request("GET", "/accounts/demo")).body.id;
    const stored = await server.request("PUT", "/accounts/demo/secrets/crm-token", {
      body: { value: TOKEN },
    });
    expect(stored.status).toBe(201);
    instanceId = await provision("support-desk", [
      {
        name: "crm",
        url: crm.url,
        stateless: false,
        token_secret_ref: "crm-token",
        allowed_tools: ["lookup_customer"],
      },
      { name: "catalog", url: catalog.url, stateless: true, allowed_tools: ["lookup_customer"] },
    ]);
  });
  afterAll(async () => {
    await server?.close();
    await crm?.close();
    await catalog?.close();
  });

  it("answers with an external tool's result, sending account headers only to the stateful server", async () => {
    const response = await server.request("POST", "/accounts/demo/agents/support-desk/chat", {
      body: { message: "Which plan is jane@example.com on?" },
    });
    expect(response.status).toBe(200);
    expect(response.body.text).toContain("Gold plan");
    expect(crm.toolCalls).toContainEqual({
      tool: "lookup_customer",
      arguments: { email: "jane@example.com" },
    });
    expect(catalog.toolCalls).toContainEqual({
      tool: "lookup_customer",
      arguments: { email: "jane@example.com" },
    });

    expect(crm.seen.length).toBeGreaterThan(0);
    for (const headers of crm.seen) {
      expect(headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(headers["x-account-id"]).toBe(accountId);
      expect(headers["x-agent-instance-id"]).toBe(instanceId);
    }
    expect(catalog.seen.length).toBeGreaterThan(0);
    for (const headers of catalog.seen) {
      expect(headers["x-account-id"]).toBeUndefined();
      expect(headers["x-agent-instance-id"]).toBeUndefined();
      expect(headers.authorization).toBeUndefined();
    }
  });

  it("shows each server's health and allowed tools in discovery", async () => {
    expect(await discovered("support-desk")).toEqual([
      expect.objectContaining({
        name: "crm",
        status: "ok",
        tools: [{ name: "crm__lookup_customer", description: "Find a customer by e-mail address" }],
        checked_at: expect.any(String),
      }),
      expect.objectContaining({ name: "catalog", status: "ok" }),
    ]);
  });

  it("lists every tool when allowed_tools is empty", async () => {
    await provision("catalog-desk", [{ name: "catalog", url: catalog.url }]);
    // Discovery never waits on a server: showing the new instance started its listing in the background.
    await vi.waitFor(async () => expect((await discovered("catalog-desk"))[0].status).toBe("ok"));
    const [entry] = await discovered("catalog-desk");
    expect(entry.tools.map((tool: { name: string }) => tool.name).sort()).toEqual([
      "catalog__delete_everything",
      "catalog__dump_logs",
      "catalog__lookup_customer",
      "catalog__slow_report",
    ]);
  });

  it("hands the model external output as capped, untrusted data", async () => {
    await provision("log-desk", [{ name: "logs", url: catalog.url, allowed_tools: ["dump_logs"] }]);
    const streamed = await stream("log-desk", "Show me the logs about payments");
    const result = streamed.events.find((event): event is ToolResult => event.type === "tool_result");
    expect(result?.tool_name).toBe("logs__dump_logs");
    const output = result?.output as {
      type: string;
      trust: string;
      truncated: boolean;
      content: { text: string }[];
    };
    expect(output).toMatchObject({ type: "external_tool_output", trust: "untrusted", truncated: true });
    expect(output.content[0]?.text.length).toBe(20_000);
  });

  it("gives up on a slow tool after its timeout and still answers", async () => {
    await provision("slow-desk", [
      { name: "reports", url: catalog.url, allowed_tools: ["slow_report"], timeout_seconds: 1 },
    ]);
    const startedAt = Date.now();
    const streamed = await stream("slow-desk", "Build the quarterly report");
    expect(Date.now() - startedAt).toBeLessThan(2_900);
    const result = streamed.events.find((event): event is ToolResult => event.type === "tool_result");
    expect(result?.output).toMatchObject({ is_error: true, error: "The MCP server did not answer in time" });
    expect(streamed.events.at(-1)).toMatchObject({ type: "done" });
  });

  it("answers without the tools of a server that is down, and discovery says it is unreachable", async () => {
    await provision("down-desk", [{ name: "gone", url: downUrl }]);
    const response = await server.request("POST", "/accounts/demo/agents/down-desk/chat", {
      body: { message: "Which plan is jane@example.com on?" },
    });
    expect(response.status).toBe(200);
    const [entry] = await discovered("down-desk");
    expect(entry).toMatchObject({ name: "gone", status: "unreachable", tools: [] });
    expect(entry.reason).toContain("ECONNREFUSED");
  });

  it.each([
    ["a private network", "http://10.0.0.5/mcp"],
    ["cloud metadata", "http://169.254.169.254/latest/meta-data"],
    ["localhost", "http://localhost:9000/mcp"],
    ["IPv6 loopback", "http://[::1]:9000/mcp"],
    ["a loopback port not allow-listed", "http://127.0.0.1:1/mcp"],
    ["loopback written as a number", "http://2130706433/mcp"],
    ["carrier-grade NAT", "https://100.64.1.1/mcp"],
  ])("rejects a server on %s at config time", async (_label, url) => {
    const response = await server.request("PUT", "/accounts/demo/agents/support-desk/config", {
      body: { mcp_servers: [{ name: "crm", url }] },
    });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe("INVALID_AGENT_CONFIG");
    expect(response.body.error.details.issues).toEqual([
      expect.objectContaining({ path: "mcp_servers.0.url", message: expect.stringContaining("private") }),
    ]);
  });

  it("rejects a stdio or other non-http server outright", async () => {
    const response = await server.request("PUT", "/accounts/demo/agents/support-desk/config", {
      body: { mcp_servers: [{ name: "local", url: "stdio:///usr/bin/env" }] },
    });
    expect(response.status).toBe(422);
    expect(response.body.error.message).toContain("mcp_servers.0.url");
  });

  it("sends a rotated token on the next call", async () => {
    const replaced = await server.request("PUT", "/accounts/demo/secrets/crm-token", {
      body: { value: ROTATED_TOKEN },
    });
    expect(replaced.status).toBe(200);
    const before = crm.seen.length;
    const response = await server.request("POST", "/accounts/demo/agents/support-desk/chat", {
      body: { message: "Which plan is jane@example.com on?" },
    });
    expect(response.body.text).toContain("Gold plan");
    const after = crm.seen.slice(before);
    expect(after.length).toBeGreaterThan(0);
    for (const headers of after) expect(headers.authorization).toBe(`Bearer ${ROTATED_TOKEN}`);
  });

  it("never returns or logs a token", async () => {
    const secrets = await server.request("GET", "/accounts/demo/secrets");
    expect(secrets.body.secrets).toEqual([
      { name: "crm-token", created_at: expect.any(String), updated_at: expect.any(String) },
    ]);
    const detail = await server.request("GET", "/accounts/demo/agents/support-desk");
    expect(detail.body.config.mcp_servers[0].token_secret_ref).toBe("crm-token");

    const logs = server.logLines.join("");
    expect(logs).toContain("secret stored");
    expect(logs).toContain("MCP server not usable");
    for (const token of [TOKEN, ROTATED_TOKEN]) {
      expect(logs).not.toContain(token);
      for (const body of server.responses) expect(body).not.toContain(token);
    }
  });
});
