import { z } from "zod";
import { SlugSchema } from "./identifiers.ts";

export const AGENT_TYPES = [
  "simple-chat",
  "sales",
  "simple-research",
  "deep-research",
  "digital-expert",
] as const;
export const AgentTypeSchema = z.enum(AGENT_TYPES);
export type AgentType = z.infer<typeof AgentTypeSchema>;

/** Built-in tools an instance may enable; external tools come through `mcp_servers`. */
export const BUILTIN_TOOLS = [
  "search_knowledge",
  "search_products",
  "get_product",
  "capture_lead",
  "ask_agent",
  "register_metadata",
] as const;

/** `default` = the platform's default model; `offline` = the built-in offline model. */
export const ModelIdSchema = z
  .string()
  .regex(/^(default|offline|[a-z][a-z0-9-]*:\S+)$/, 'must be "default", "offline" or "provider:model"');

const ShortTextList = z.array(z.string().min(1).max(500)).max(100);

export const KnowledgeBaseConfigSchema = z
  .object({
    enabled: z.boolean().default(false),
    top_k: z.number().int().min(1).max(50).default(5),
    min_score: z.number().min(0).max(1).default(0),
    chunk_size: z.number().int().min(200).max(8_000).default(1_000),
    chunk_overlap: z.number().int().min(0).max(2_000).default(150),
    topics: ShortTextList.default([]),
  })
  .strict();

/** Names a stored account secret: what `token_secret_ref` and `/secrets/{name}` take. */
export const SecretNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, "must be 1 to 100 letters, digits, '_', '.' or '-'");

export const McpServerConfigSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, "must be a short lowercase name"),
    url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
    stateless: z.boolean().default(true),
    /** The name of a stored secret, never the token itself. */
    token_secret_ref: SecretNameSchema.optional(),
    allowed_tools: z.array(z.string().min(1).max(100)).max(100).default([]),
    timeout_seconds: z.number().int().min(1).max(120).default(30),
  })
  .strict();

export type McpServerConfig = z.infer<typeof McpServerConfigSchema>;

export const AgentLimitsSchema = z
  .object({
    max_steps: z.number().int().min(1).max(25).default(5),
    max_output_tokens: z.number().int().min(1).max(200_000).optional(),
    timeout_seconds: z.number().int().min(1).max(3_600).default(120),
    max_history_turns: z.number().int().min(0).max(200).default(20),
    max_fan_out: z.number().int().min(1).max(10).default(3),
    /** Refuse to ask an agent that is already answering further up the same chain. */
    cycle_guard: z.boolean().default(true),
  })
  .strict();

export const RoutingConfigSchema = z
  .object({
    description: z.string().max(2_000).default(""),
    examples: ShortTextList.default([]),
    keywords: ShortTextList.default([]),
  })
  .strict();

export const MemoryConfigSchema = z
  .object({
    /** Keep a rolling summary of the turns that slide out of the history window. */
    summary: z.boolean().default(false),
    summary_max_characters: z.number().int().min(200).max(8_000).default(1_200),
  })
  .strict();

export const PersonaConfigSchema = z
  .object({
    name: z.string().min(1).max(200),
    domain: z.string().min(1).max(500),
    voice: z.string().max(1_000).default(""),
    boundaries: ShortTextList.default([]),
  })
  .strict();

export const QualificationConfigSchema = z
  .object({
    questions: ShortTextList.default([]),
  })
  .strict();

export const AgentConfigSchema = z
  .object({
    description: z.string().max(2_000).default(""),
    model: ModelIdSchema.default("default"),
    allow_model_override: z.boolean().default(true),
    system_prompt: z.string().min(1).max(20_000),
    temperature: z.number().min(0).max(2).optional(),
    tools: z.array(z.enum(BUILTIN_TOOLS)).max(BUILTIN_TOOLS.length).default([]),
    knowledge_base: KnowledgeBaseConfigSchema.default({
      enabled: false,
      top_k: 5,
      min_score: 0,
      chunk_size: 1_000,
      chunk_overlap: 150,
      topics: [],
    }),
    delegates: z
      .array(z.union([z.literal("*"), SlugSchema]))
      .max(50)
      .default([]),
    mcp_servers: z
      .array(McpServerConfigSchema)
      .max(10)
      .default([])
      // Tools are namespaced by server name, so two servers of one name would shadow each other.
      .superRefine((servers, context) => {
        servers.forEach((server, index) => {
          if (servers.findIndex((other) => other.name === server.name) !== index) {
            context.addIssue({ code: "custom", path: [index, "name"], message: "is used by another server" });
          }
        });
      }),
    limits: AgentLimitsSchema.default({
      max_steps: 5,
      timeout_seconds: 120,
      max_history_turns: 20,
      max_fan_out: 3,
      cycle_guard: true,
    }),
    routing: RoutingConfigSchema.default({ description: "", examples: [], keywords: [] }),
    memory: MemoryConfigSchema.default({ summary: false, summary_max_characters: 1_200 }),
    persona: PersonaConfigSchema.optional(),
    qualification: QualificationConfigSchema.optional(),
    tags: ShortTextList.default([]),
  })
  .strict();

export type AgentConfig = z.infer<typeof AgentConfigSchema>;

/** Overrides are any JSON object; what they may contain is decided after merging. */
export const AgentConfigOverridesSchema = z.record(z.string(), z.unknown());
export type AgentConfigOverrides = z.infer<typeof AgentConfigOverridesSchema>;
