import type { z } from "zod";
import type { AgentInstance, ConfigResolution } from "../../agents/instance-service.ts";
import { redactSecrets } from "../../config/redact.ts";
import type { AgentDetailSchema, AgentHealthSchema, AgentSummarySchema } from "../schemas/agent-schemas.ts";

type AgentSummary = z.infer<typeof AgentSummarySchema>;
type AgentDetail = z.infer<typeof AgentDetailSchema>;

function health(instance: AgentInstance, resolution: ConfigResolution): z.infer<typeof AgentHealthSchema> {
  if (!resolution.ok) return { status: "invalid_config", reason: resolution.error.message };
  if (instance.status === "active") return { status: "ok" };
  return { status: instance.status };
}

export function toAgentSummary(instance: AgentInstance, resolution: ConfigResolution): AgentSummary {
  const config = resolution.ok ? resolution.config : null;
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
        enabled: config?.knowledge_base.enabled ?? false,
        topics: config?.knowledge_base.topics ?? [],
      },
      delegates: config?.delegates ?? [],
      mcp_servers: config?.mcp_servers.map((server) => server.name) ?? [],
    },
    health: health(instance, resolution),
    created_at: instance.createdAt.toISOString(),
    updated_at: instance.updatedAt.toISOString(),
  };
}

export function toAgentDetail(instance: AgentInstance, resolution: ConfigResolution): AgentDetail {
  return {
    ...toAgentSummary(instance, resolution),
    config: resolution.ok ? redactSecrets(resolution.config as Record<string, unknown>) : null,
    overrides: redactSecrets(instance.overrides),
  };
}
