import type { Account } from "../../accounts/account-service.ts";
import type { AgentInstance, InstanceService } from "../../agents/instance-service.ts";
import type { AgentConfig } from "../../config/agent-config.ts";
import type { McpServerHealth } from "../../mcp/client/external-tools.ts";
import { type KnowledgeBackendView, toAgentSummary } from "./agent-view.ts";

/**
 * The discovery view of an account's live agents, for callers outside the HTTP routes (the
 * account's MCP server's list_agents tool) that must show exactly what discovery shows.
 */
export function createAgentDirectory(dependencies: {
  instances: InstanceService;
  knowledge: { describe(account: Account, instance: AgentInstance): KnowledgeBackendView | undefined };
  mcpHealth: (instance: AgentInstance, config: AgentConfig) => McpServerHealth[];
}) {
  const { instances, knowledge, mcpHealth } = dependencies;
  return async function listAgents(account: Account) {
    const live = await instances.listLive(account);
    return live.map((instance) => {
      const resolution = instances.effectiveConfig(instance);
      return toAgentSummary(
        instance,
        resolution,
        knowledge.describe(account, instance),
        resolution.ok ? mcpHealth(instance, resolution.config) : undefined,
      );
    });
  };
}
