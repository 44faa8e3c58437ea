import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

/**
 * A real external MCP server on loopback, built with the SDK: stateful (sessions, one transport
 * per session) or stateless (a fresh server per request). It records the headers of every
 * request, so tests can see what Switchboard sends it.
 */
export interface ExternalMcpServer {
  url: string;
  host: string;
  seen: IncomingHttpHeaders[];
  toolCalls: Array<{ tool: string; arguments: unknown }>;
  close(): Promise<void>;
}

export const CUSTOMER_RECORD =
  "Customer jane@example.com is Jane Doe, on the Gold plan since 2021, last order shipped May 3.";

function buildServer(calls: ExternalMcpServer["toolCalls"]): McpServer {
  const server = new McpServer({ name: "external-test", version: "1.0.0" });
  server.registerTool(
    "lookup_customer",
    {
      description: "Find a customer by e-mail address",
      inputSchema: { email: z.string().email().describe("The customer's e-mail address") },
    },
    async ({ email }) => {
      calls.push({ tool: "lookup_customer", arguments: { email } });
      const text = email === "jane@example.com" ? CUSTOMER_RECORD : `No customer ${email}.`;
      return { content: [{ type: "text", text }] };
    },
  );
  server.registerTool(
    "dump_logs",
    { description: "Everything in the logs", inputSchema: { query: z.string() } },
    async ({ query }) => {
      calls.push({ tool: "dump_logs", arguments: { query } });
      return { content: [{ type: "text", text: `Log line about ${query}. `.repeat(10_000) }] };
    },
  );
  server.registerTool(
    "slow_report",
    { description: "A report that takes long", inputSchema: { query: z.string() } },
    async ({ query }) => {
      calls.push({ tool: "slow_report", arguments: { query } });
      await sleep(3_000);
      return { content: [{ type: "text", text: "too late" }] };
    },
  );
  server.registerTool(
    "delete_everything",
    { description: "Not on any allow-list", inputSchema: { query: z.string() } },
    async () => ({ content: [{ type: "text", text: "deleted" }] }),
  );
  return server;
}

export async function startExternalMcpServer(options: { stateful: boolean }): Promise<ExternalMcpServer> {
  const seen: IncomingHttpHeaders[] = [];
  const toolCalls: ExternalMcpServer["toolCalls"] = [];
  const sessions = new Map<string, StreamableHTTPServerTransport>();

  const http: Server = createServer((request, response) => {
    seen.push(request.headers);
    void (async () => {
      if (!options.stateful) {
        if (request.method !== "POST") {
          response.writeHead(405).end();
          return;
        }
        const server = buildServer(toolCalls);
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
        response.on("close", () => {
          void transport.close();
          void server.close();
        });
        await server.connect(transport);
        await transport.handleRequest(request, response);
        return;
      }
      const sessionId = request.headers["mcp-session-id"];
      const existing = typeof sessionId === "string" ? sessions.get(sessionId) : undefined;
      if (existing) {
        await existing.handleRequest(request, response);
        return;
      }
      if (sessionId !== undefined) {
        response.writeHead(404).end();
        return;
      }
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          sessions.set(id, transport);
        },
      });
      await buildServer(toolCalls).connect(transport);
      await transport.handleRequest(request, response);
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    host: `127.0.0.1:${port}`,
    seen,
    toolCalls,
    async close() {
      await Promise.all([...sessions.values()].map((transport) => transport.close()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
