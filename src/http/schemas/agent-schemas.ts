import { z } from "zod";
import { VECTOR_BACKENDS } from "../../accounts/tiers.ts";
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

/** An external MCP server of the instance, from the last listing (discovery never waits on it). */
export const McpServerHealthSchema = z.object({
  name: z.string(),
  status: z
    .enum(["ok", "unreachable", "blocked", "pending"])
    .describe("pending: not listed yet; blocked: the address policy refused it"),
  tools: z.array(z.object({ name: z.string(), description: z.string() })),
  reason: z.string().optional(),
  checked_at: z.string().nullable(),
});

export const AgentCapabilitiesSchema = z.object({
  model: z.string().nullable(),
  tools: z.array(z.string()),
  knowledge: z.object({
    enabled: z.boolean(),
    topics: z.array(z.string()),
    backend: z.enum(VECTOR_BACKENDS).optional().describe("Where the instance's knowledge is stored"),
    fallback_from: z
      .enum(VECTOR_BACKENDS)
      .optional()
      .describe("The tier's backend, when it is not available here and pgvector stands in"),
    reason: z.string().optional(),
  }),
  delegates: z.array(z.string()),
  mcp_servers: z.array(McpServerHealthSchema),
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
