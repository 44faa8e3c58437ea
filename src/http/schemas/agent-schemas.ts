import { z } from "zod";
import { AgentConfigOverridesSchema, AgentTypeSchema } from "../../config/agent-config.ts";
import { SlugSchema } from "../../config/identifiers.ts";

export const InstanceStatusSchema = z.enum(["active", "inactive", "archived"]);

export const ProvisionAgentBodySchema = z
  .object({
    type: AgentTypeSchema,
    slug: SlugSchema,
    name: z.string().trim().min(1).max(200).optional(),
    config: AgentConfigOverridesSchema.optional(),
  })
  .strict();

export const SetStatusBodySchema = z.object({ status: InstanceStatusSchema }).strict();

export const ListAgentsQuerySchema = z
  .object({
    include_archived: z.enum(["true", "false"]).optional(),
  })
  .strict();

export const AgentCapabilitiesSchema = z.object({
  model: z.string().nullable(),
  tools: z.array(z.string()),
  knowledge: z.object({ enabled: z.boolean(), topics: z.array(z.string()) }),
  delegates: z.array(z.string()),
  mcp_servers: z.array(z.string()),
});

export const AgentHealthSchema = z.object({
  status: z.enum(["ok", "inactive", "archived", "invalid_config"]),
  reason: z.string().optional(),
});

export const AgentSummarySchema = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  type: AgentTypeSchema,
  status: InstanceStatusSchema,
  version: z.number().int(),
  description: z.string(),
  capabilities: AgentCapabilitiesSchema,
  health: AgentHealthSchema,
  created_at: z.string(),
  updated_at: z.string(),
});

export const AgentDetailSchema = AgentSummarySchema.extend({
  config: z.record(z.string(), z.unknown()).nullable().describe("Effective config, secrets redacted"),
  overrides: z.record(z.string(), z.unknown()).describe("The instance's own overrides, secrets redacted"),
});

export const AgentListSchema = z.object({ agents: z.array(AgentSummarySchema) });
