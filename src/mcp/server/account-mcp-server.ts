import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { FastifyBaseLogger } from "fastify";
import { z } from "zod";
import type { Account, AccountService } from "../../accounts/account-service.ts";
import type { ChildRunner } from "../../agents/child-runner.ts";
import type { InstanceService } from "../../agents/instance-service.ts";
import { AskAgentInputSchema } from "../../agents/tools/ask-agent-tool.ts";
import type { ToolRegistry } from "../../agents/tools/tool-registry.ts";
import { SlugSchema } from "../../config/identifiers.ts";
import type { MultiAgentSettings } from "../../config/settings.ts";
import type { ConversationStore } from "../../conversations/conversation-store.ts";
import type { Database } from "../../db/client.ts";
import { AccountNotFoundError, AccountSuspendedError, AppError } from "../../errors/app-error.ts";
import { askAgentForMcp } from "./ask-agent-handler.ts";
import { callerFrom } from "./mcp-caller.ts";
import { createProgressRelay } from "./progress-relay.ts";
import { McpRegisterMetadataInputSchema, registerMetadataForMcp } from "./register-metadata-handler.ts";
import { searchKnowledgeForMcp } from "./search-knowledge-handler.ts";
import { toolFailure, toolResult } from "./tool-results.ts";

export interface AccountMcpDependencies {
  accounts: AccountService;
  instances: InstanceService;
  conversations: ConversationStore;
  childRunner: ChildRunner;
  tools: ToolRegistry;
  db: Database;
  multiAgent: MultiAgentSettings;
  /** The discovery view of the account's live instances, as GET /accounts/{account}/agents shows it. */
  listAgents: (account: Account) => Promise<unknown[]>;
  logger: FastifyBaseLogger;
}

const SearchInputSchema = z.object({
  agent: SlugSchema.describe("The slug of the agent whose knowledge base to search"),
  query: z.string().trim().min(1).max(2_000).describe("What to look for"),
  top_k: z.number().int().min(1).max(20).optional().describe("How many passages to return"),
});

export type AccountMcpServerFactory = () => McpServer;

/**
 * One MCP server per request (the endpoint is stateless, so any replica can answer), exposing the
 * account's capabilities as tools. Which account is read from the request's auth info, set by the
 * HTTP layer after Bearer authentication; no argument can name another account.
 */
export function createAccountMcpServerFactory(dependencies: AccountMcpDependencies): AccountMcpServerFactory {
  const { accounts, logger } = dependencies;

  async function run(
    authInfo: Parameters<typeof callerFrom>[0],
    work: (account: Account) => Promise<CallToolResult>,
  ): Promise<CallToolResult> {
    try {
      const caller = callerFrom(authInfo);
      const account = await accounts.findById(caller.accountId);
      if (!account) throw new AccountNotFoundError(`Account "${caller.accountSlug}" not found`);
      if (account.status !== "active")
        throw new AccountSuspendedError(`Account "${account.slug}" is suspended`);
      return await work(account);
    } catch (error) {
      if (!AppError.isInstance(error)) logger.error({ err: error }, "MCP tool failed");
      return toolFailure(error);
    }
  }

  return () => {
    const server = new McpServer({ name: "switchboard", version: "0.1.0" }, { capabilities: { tools: {} } });

    server.registerTool(
      "list_agents",
      {
        title: "List agents",
        description:
          "The agents of this account (not archived): slug, type, status, description, capabilities and health. " +
          "Use a slug as agent_name for ask_agent or as agent for search_knowledge.",
        inputSchema: z.object({}),
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      (_input, extra) =>
        run(extra.authInfo, async (account) =>
          toolResult({ agents: await dependencies.listAgents(account) }),
        ),
    );

    server.registerTool(
      "ask_agent",
      {
        title: "Ask an agent",
        description:
          "Ask one of this account's active agents a question or give it a task, and get its answer with metadata. " +
          "Each call is stored as a conversation (its id is returned). Send a progress token to follow the agent's work.",
        inputSchema: AskAgentInputSchema,
        annotations: { readOnlyHint: false, openWorldHint: false },
      },
      (input, extra) =>
        run(extra.authInfo, async (account) => {
          const progress = createProgressRelay(extra._meta?.progressToken, extra.sendNotification);
          const result = await askAgentForMcp(dependencies, account, input, progress, extra.signal);
          return toolResult({ ...result }, result.status === "error");
        }),
    );

    server.registerTool(
      "search_knowledge",
      {
        title: "Search an agent's knowledge",
        description:
          "Search the knowledge base of one of this account's agents; returns the best matching passages.",
        inputSchema: SearchInputSchema,
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      (input, extra) =>
        run(extra.authInfo, (account) => searchKnowledgeForMcp(dependencies, account, input, extra.signal)),
    );

    server.registerTool(
      "register_metadata",
      {
        title: "Register metadata",
        description:
          "Record confidence (0-1), sources and custom fields on a conversation of this account " +
          "(the one an ask_agent call returned, or a new one).",
        inputSchema: McpRegisterMetadataInputSchema,
        annotations: { readOnlyHint: false, openWorldHint: false },
      },
      (input, extra) =>
        run(extra.authInfo, (account) => registerMetadataForMcp(dependencies.db, account, input)),
    );

    return server;
  };
}
