import type { KeyObject } from "node:crypto";
import { isAbsolute, join, resolve } from "node:path";
import { z } from "zod";
import {
  type KnowledgeSettings,
  KnowledgeSettingsError,
  loadKnowledgeSettings,
} from "../knowledge/knowledge-settings.ts";
import { loadMcpSettings, type McpSettings, McpSettingsError } from "../mcp/mcp-settings.ts";
import { loadModelSettings, type ModelSettings, ModelSettingsError } from "../models/model-settings.ts";
import { loadSecretsKey, SecretsSettingsError } from "../secrets/secrets-settings.ts";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** The in-memory PGlite marker: nothing is written to disk and nothing survives a restart. */
export const IN_MEMORY = ":memory:";

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  HOST: z.string().min(1).default("127.0.0.1"),
  SWITCHBOARD_DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional(),
  SWITCHBOARD_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/, "must be 1 to 64 of A-Z a-z 0-9 : _ -")
    .default("switchboard:"),
  SWITCHBOARD_ADMIN_KEY: z.string().min(24, "must be at least 24 characters").optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  SWITCHBOARD_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  SWITCHBOARD_DEFAULT_ACCOUNT: z.string().min(1).default("demo"),
  SWITCHBOARD_SEED_DEMO: z.enum(["true", "false"]).default("true"),
  SWITCHBOARD_SEED_SAMPLE_KNOWLEDGE: z.enum(["true", "false"]).default("true"),
  SWITCHBOARD_AGENT_CACHE_SIZE: z.coerce.number().int().min(1).max(1_000_000).default(500),
  SWITCHBOARD_HISTORY_TURNS: z.coerce.number().int().min(0).max(200).default(10),
  SWITCHBOARD_SSE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  SWITCHBOARD_MAX_NESTING_DEPTH: z.coerce.number().int().min(0).max(20).default(5),
  SWITCHBOARD_EVENT_RELAY: z.enum(["true", "false"]).default("true"),
  SWITCHBOARD_CHILD_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3_600).default(300),
  SWITCHBOARD_AGGREGATE_METADATA: z.enum(["true", "false"]).default("true"),
  SWITCHBOARD_MAX_CHILD_RUNS_PER_REQUEST: z.coerce.number().int().min(0).max(10_000).optional(),
  SWITCHBOARD_RATE_LIMIT: z.enum(["on", "off"]).default("on"),
  SWITCHBOARD_MODEL_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
});

export type DatabaseSettings =
  | { driver: "pglite"; dataDir: string | null }
  | { driver: "postgres"; url: string };

export interface Settings {
  port: number;
  host: string;
  /** Where PGlite and credentials.json live; null keeps everything in memory. */
  dataDir: string | null;
  database: DatabaseSettings;
  redisUrl: string | null;
  /** Namespaces every Redis key, so deployments (and test runs) sharing a Redis never collide. */
  redisPrefix: string;
  adminKey: string | null;
  logLevel: (typeof LOG_LEVELS)[number];
  bodyLimitBytes: number;
  defaultAccountSlug: string;
  seedDemoAccount: boolean;
  /** Ingest samples/knowledge into the freshly seeded demo account's research and expert agents. */
  seedSampleKnowledge: boolean;
  /** Built agents kept ready, keyed by instance, config version and model. */
  agentCacheSize: number;
  /** The most earlier turns a run sees; an instance's limits.max_history_turns may lower it. */
  historyTurns: number;
  sseHeartbeatMs: number;
  modelMaxRetries: number;
  /** Off when a gateway in front (Kong, an API gateway) already enforces per-account limits. */
  rateLimitEnabled: boolean;
  multiAgent: MultiAgentSettings;
  models: ModelSettings;
  /** Vector backends (Pinecone), upload size, outbound fetch for URL ingestion. */
  knowledge: KnowledgeSettings;
  /** External MCP servers (outbound allow-list, result caps) and the account MCP endpoints. */
  mcp: McpSettings;
  /** Encrypts account secrets; null: secrets cannot be written (SECRETS_KEY_NOT_CONFIGURED). */
  secretsKey: KeyObject | null;
}

/** Platform-wide multi-agent limits; each account's tier may only lower them. */
export interface MultiAgentSettings {
  maxNestingDepth: number;
  eventRelayEnabled: boolean;
  childTimeoutSeconds: number;
  aggregateMetadata: boolean;
  /** Null: the tier's own limit applies. */
  maxChildRunsPerRequest: number | null;
}

export class SettingsError extends Error {
  override readonly name = "SettingsError";
}

/** Reads settings from the environment and fails fast, naming every bad variable at once. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  // `VAR=` in a shell or .env file means "not set", not "set to an invalid empty value".
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new SettingsError(`Invalid configuration:\n${problems.join("\n")}`);
  }
  const values = parsed.data;
  let models: ModelSettings;
  try {
    models = loadModelSettings(present);
  } catch (error) {
    if (error instanceof ModelSettingsError) throw new SettingsError(error.message);
    throw error;
  }
  let knowledge: KnowledgeSettings;
  try {
    knowledge = loadKnowledgeSettings(present);
  } catch (error) {
    if (error instanceof KnowledgeSettingsError) throw new SettingsError(error.message);
    throw error;
  }
  let mcp: McpSettings;
  let secretsKey: KeyObject | null;
  try {
    mcp = loadMcpSettings(present);
    secretsKey = loadSecretsKey(present);
  } catch (error) {
    if (error instanceof McpSettingsError || error instanceof SecretsSettingsError) {
      throw new SettingsError(error.message);
    }
    throw error;
  }
  const dataDir =
    values.SWITCHBOARD_DATA_DIR === IN_MEMORY
      ? null
      : isAbsolute(values.SWITCHBOARD_DATA_DIR)
        ? values.SWITCHBOARD_DATA_DIR
        : resolve(values.SWITCHBOARD_DATA_DIR);
  return {
    port: values.PORT,
    host: values.HOST,
    dataDir,
    database: values.DATABASE_URL
      ? { driver: "postgres", url: values.DATABASE_URL }
      : { driver: "pglite", dataDir: dataDir === null ? null : join(dataDir, "pglite") },
    redisUrl: values.REDIS_URL ?? null,
    redisPrefix: values.SWITCHBOARD_REDIS_PREFIX,
    adminKey: values.SWITCHBOARD_ADMIN_KEY ?? null,
    logLevel: values.LOG_LEVEL,
    bodyLimitBytes: values.SWITCHBOARD_BODY_LIMIT_BYTES,
    defaultAccountSlug: values.SWITCHBOARD_DEFAULT_ACCOUNT,
    seedDemoAccount: values.SWITCHBOARD_SEED_DEMO === "true",
    seedSampleKnowledge: values.SWITCHBOARD_SEED_SAMPLE_KNOWLEDGE === "true",
    agentCacheSize: values.SWITCHBOARD_AGENT_CACHE_SIZE,
    historyTurns: values.SWITCHBOARD_HISTORY_TURNS,
    sseHeartbeatMs: values.SWITCHBOARD_SSE_HEARTBEAT_MS,
    modelMaxRetries: values.SWITCHBOARD_MODEL_MAX_RETRIES,
    rateLimitEnabled: values.SWITCHBOARD_RATE_LIMIT === "on",
    multiAgent: {
      maxNestingDepth: values.SWITCHBOARD_MAX_NESTING_DEPTH,
      eventRelayEnabled: values.SWITCHBOARD_EVENT_RELAY === "true",
      childTimeoutSeconds: values.SWITCHBOARD_CHILD_TIMEOUT_SECONDS,
      aggregateMetadata: values.SWITCHBOARD_AGGREGATE_METADATA === "true",
      maxChildRunsPerRequest: values.SWITCHBOARD_MAX_CHILD_RUNS_PER_REQUEST ?? null,
    },
    models,
    knowledge,
    mcp,
    secretsKey,
  };
}
