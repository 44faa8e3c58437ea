import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { OriginNotAllowedError } from "../../errors/app-error.ts";
import type { AccountMcpServerFactory } from "../../mcp/server/account-mcp-server.ts";
import { toAuthInfo } from "../../mcp/server/mcp-caller.ts";
import type { Authenticator } from "../auth.ts";
import { AccountParamsSchema, COMMON_ERROR_RESPONSES } from "../schemas/common.ts";

export interface McpRoutesOptions {
  auth: Authenticator;
  createMcpServer: AccountMcpServerFactory;
  /** Browser origins allowed in; requests without an Origin header (non-browser clients) pass. */
  allowedOrigins: readonly string[];
}

const DESCRIPTION =
  "MCP Streamable HTTP endpoint (protocol 2025-11-25), stateless: POST JSON-RPC messages with " +
  "`Accept: application/json, text/event-stream`. Tools: list_agents, ask_agent, search_knowledge, " +
  "register_metadata. GET and DELETE answer 405: there are no sessions to resume or end.";

function jsonRpcError(reply: FastifyReply, status: number, message: string) {
  return reply
    .status(status)
    .header("content-type", "application/json")
    .send({ jsonrpc: "2.0", error: { code: -32000, message }, id: null });
}

export const mcpRoutes: FastifyPluginAsyncZod<McpRoutesOptions> = async (server, options) => {
  const { auth, createMcpServer } = options;
  const allowedOrigins = new Set(options.allowedOrigins.map((origin) => origin.toLowerCase()));

  // A web page must not drive a tenant's agents from a browser (DNS rebinding, CSRF); MCP's
  // transport rules ask servers to check Origin on every request.
  async function checkOrigin(request: FastifyRequest) {
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin.toLowerCase())) {
      throw new OriginNotAllowedError(`Origin ${origin} may not call this MCP endpoint`);
    }
  }

  const schema = { tags: ["mcp"], params: AccountParamsSchema, response: COMMON_ERROR_RESPONSES };

  server.post(
    "/accounts/:account/mcp",
    {
      schema: { ...schema, summary: "The account's MCP server", description: DESCRIPTION },
      onRequest: checkOrigin,
    },
    async (request, reply) => {
      const account = await auth.accountFor(request, request.params.account);
      const mcpServer = createMcpServer();
      // Stateless: a fresh server and transport per request, so any replica can answer any request.
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      reply.hijack();
      reply.raw.on("close", () => {
        void transport.close();
        void mcpServer.close();
      });
      try {
        await mcpServer.connect(transport);
        const raw = Object.assign(request.raw, {
          auth: toAuthInfo({ accountId: account.id, accountSlug: account.slug }),
        });
        // Fastify has read the body already (with its size limit); the transport takes it parsed.
        await transport.handleRequest(raw, reply.raw, request.body);
      } catch (error) {
        request.log.error({ err: error }, "MCP request failed");
        if (!reply.raw.headersSent) {
          reply.raw.writeHead(500, { "content-type": "application/json" });
          reply.raw.end(
            JSON.stringify({ jsonrpc: "2.0", error: { code: -32603, message: "Internal error" }, id: null }),
          );
        }
      }
    },
  );

  for (const method of ["GET", "DELETE"] as const) {
    server.route({
      method,
      url: "/accounts/:account/mcp",
      schema: { ...schema, summary: `${method} is not offered: the endpoint keeps no sessions` },
      onRequest: checkOrigin,
      handler: async (request, reply) => {
        await auth.accountFor(request, request.params.account);
        return jsonRpcError(
          reply.header("allow", "POST"),
          405,
          "Method not allowed: this endpoint is stateless",
        );
      },
    });
  }
};
