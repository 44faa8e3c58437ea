import type { z } from "zod";
import type { VectorBackend } from "../../accounts/tiers.ts";
import type { AgentInstance, ConfigResolution } from "../../agents/instance-service.ts";
import { redactSecrets } from "../../config/redact.ts";
import type { McpServerHealth } from "../../mcp/client/external-tools.ts";
import type { AgentDetailSchema, AgentHealthSchema, AgentSummarySchema } from "../schemas/agent-schemas.ts";

type AgentSummary = z.infer<typeof AgentSummarySchema>;
type AgentDetail = z.infer<typeof AgentDetailSchema>;

function health(instance: AgentInstance, resolution: ConfigResolution): z.infer<typeof AgentHealthSchema> {
  if (!resolution.ok) return { status: "invalid_config", reason: resolution.error.message };
  if (instance.status === "active") return { status: "ok" };
  return { status: instance.status };
}

/** Where an instance's knowledge is stored, and why there (tier-policy.ts's answer). */
export interface KnowledgeBackendView {
  backend: VectorBackend;
  fallback_from?: VectorBackend | undefined;
  reason?: string | undefined;
}

export function toAgentSummary(
  instance: AgentInstance,
  resolution: ConfigResolution,
  knowledgeBackend?: KnowledgeBackendView,
  mcpServers?: McpServerHealth[],
): AgentSummary {
  const config = resolution.ok ? resolution.config : null;
  const enabled = config?.knowledge_base.enabled ?? false;
  return {
    id: instance.id,
    slug: instance.slug,
    name: instance.name,
    type: instance.type,
    status: instance.status,
    version: instance.version,
    description: config?.description ?? "",
    capabilities: {
      model: config?.model ?? null,
      tools: config?.tools ?? [],
      knowledge: {
        enabled,
        topics: config?.knowledge_base.topics ?? [],
        ...(enabled && knowledgeBackend
          ? {
              backend: knowledgeBackend.backend,
              ...(knowledgeBackend.fallback_from === undefined
                ? {}
                : { fallback_from: knowledgeBackend.fallback_from, reason: knowledgeBackend.reason }),
            }
          : {}),
      },
      delegates: config?.delegates ?? [],
      mcp_servers:
        mcpServers ??
        config?.mcp_servers.map((server) => ({
          name: server.name,
          status: "pending" as const,
          tools: [],
          checked_at: null,
        })) ??
        [],
    },
    health: health(instance, resolution),
    created_at: instance.createdAt.toISOString(),
    updated_at: instance.updatedAt.toISOString(),
  };
}

export function toAgentDetail(
  instance: AgentInstance,
  resolution: ConfigResolution,
  knowledgeBackend?: KnowledgeBackendView,
  mcpServers?: McpServerHealth[],
): AgentDetail {
  return {
    ...toAgentSummary(instance, resolution, knowledgeBackend, mcpServers),
    config: resolution.ok ? redactSecrets(resolution.config as Record<string, unknown>) : null,
    overrides: redactSecrets(instance.overrides),
  };
}
