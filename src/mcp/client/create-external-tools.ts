import type { FastifyBaseLogger } from "fastify";
import type { SecretStore } from "../../secrets/secret-store.ts";
import type { McpSettings } from "../mcp-settings.ts";
import { createExternalTools, type ExternalTools } from "./external-tools.ts";
import { createGuardedAgent, createGuardedFetch, type Resolve } from "./guarded-fetch.ts";
import { createMcpSessionPool } from "./mcp-session-pool.ts";

/** External MCP tools over one guarded connection pool, as the composition root wires them. */
export function createExternalToolsFromSettings(dependencies: {
  settings: McpSettings;
  secrets: SecretStore;
  logger: FastifyBaseLogger;
  resolve?: Resolve;
}): ExternalTools {
  const agent = createGuardedAgent({
    allowedHosts: dependencies.settings.allowedHosts,
    ...(dependencies.resolve ? { resolve: dependencies.resolve } : {}),
  });
  const pool = createMcpSessionPool({ fetch: createGuardedFetch(agent) });
  const externalTools = createExternalTools({ ...dependencies, pool });
  return {
    ...externalTools,
    async close() {
      await externalTools.close();
      // Not close(): that waits for every open request, and a stateful server's event stream stays open.
      await agent.destroy();
    },
  };
}
