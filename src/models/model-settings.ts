import { z } from "zod";

/** The canonical id of the built-in offline model (and of the hashing embedder). */
export const OFFLINE_MODEL = "offline";
/** The registry id the offline model is also reachable under. */
export const OFFLINE_REGISTRY_ID = "switchboard:offline";

export const OPENAI_DEFAULT_MODEL = "openai:gpt-4o-mini";
export const ANTHROPIC_DEFAULT_MODEL = "anthropic:claude-3-5-haiku-latest";

/** Providers a `"provider:model"` id may name, and the variable that switches each one on. */
export const PROVIDER_ENV_VARS = {
  openai: "OPENAI_API_KEY",
  anthropic: "ANTHROPIC_API_KEY",
  "openai-compatible": "OPENAI_COMPATIBLE_BASE_URL",
  switchboard: null,
} as const;
export type ProviderId = keyof typeof PROVIDER_ENV_VARS;

const EMBEDDING_PROVIDERS: ReadonlySet<ProviderId> = new Set(["openai", "openai-compatible", "switchboard"]);

const MODEL_ID_PATTERN = /^([a-z][a-z0-9-]*):(\S+)$/;

export function isProviderId(value: string): value is ProviderId {
  return Object.hasOwn(PROVIDER_ENV_VARS, value);
}

/** Splits `"provider:model"`; null when the id has no provider part or no model part. */
export function splitModelId(id: string): { provider: string; model: string } | null {
  const match = MODEL_ID_PATTERN.exec(id);
  if (match === null) return null;
  const [, provider, model] = match;
  return provider === undefined || model === undefined ? null : { provider, model };
}

/** `"switchboard:offline"` and `"offline"` are the same model; everything else is kept as is. */
export function canonicalModelId(id: string): string {
  return id === OFFLINE_REGISTRY_ID ? OFFLINE_MODEL : id;
}

// Orchestrators often pass unset variables as empty strings (`OPENAI_API_KEY=`); treat those as unset.
const optionalText = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    schema.optional(),
  );

// Messages below never echo the value: keys are secrets and URLs may carry credentials.
const ApiKeySchema = z.string().regex(/^\S+$/, "must not contain whitespace (check for a stray newline)");
const BaseUrlSchema = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
const ModelIdTextSchema = z.string().trim();

export const ModelEnvSchema = z.object({
  OPENAI_API_KEY: optionalText(ApiKeySchema),
  OPENAI_BASE_URL: optionalText(BaseUrlSchema),
  ANTHROPIC_API_KEY: optionalText(ApiKeySchema),
  ANTHROPIC_BASE_URL: optionalText(BaseUrlSchema),
  OPENAI_COMPATIBLE_BASE_URL: optionalText(BaseUrlSchema),
  OPENAI_COMPATIBLE_API_KEY: optionalText(ApiKeySchema),
  SWITCHBOARD_DEFAULT_MODEL: optionalText(ModelIdTextSchema),
  SWITCHBOARD_EMBEDDING_MODEL: optionalText(ModelIdTextSchema),
  SWITCHBOARD_OFFLINE_CHUNK_DELAY_MS: optionalText(
    z.coerce.number({ error: "must be a whole number of milliseconds" }).int().min(0).max(60_000),
  ),
});
type ModelEnv = z.infer<typeof ModelEnvSchema>;

export interface ModelSettings {
  openaiApiKey: string | null;
  /** Null means the provider's own default endpoint. */
  openaiBaseUrl: string | null;
  anthropicApiKey: string | null;
  anthropicBaseUrl: string | null;
  /** Ollama, vLLM, LM Studio, OpenRouter…; the provider is configured when this is set. */
  openaiCompatibleBaseUrl: string | null;
  openaiCompatibleApiKey: string | null;
  /** Canonical: `"offline"` or `"provider:model"`, never `"default"`. */
  defaultModel: string;
  /** `"offline"` (the hashing embedder) or `"provider:model"`. */
  embeddingModel: string;
  offlineChunkDelayMs: number;
}

export class ModelSettingsError extends Error {
  override readonly name = "ModelSettingsError";
}

/** Which providers the environment switches on; the offline `switchboard` provider always is. */
export function configuredProviders(settings: ModelSettings): ProviderId[] {
  const providers: ProviderId[] = [];
  if (settings.openaiApiKey !== null) providers.push("openai");
  if (settings.anthropicApiKey !== null) providers.push("anthropic");
  if (settings.openaiCompatibleBaseUrl !== null) providers.push("openai-compatible");
  providers.push("switchboard");
  return providers;
}

/**
 * Reads the model providers from the environment and fails fast, naming every bad variable at
 * once; a default or embedding model naming an unconfigured provider is a startup error, not a
 * surprise on the first request.
 */
export function loadModelSettings(env: NodeJS.ProcessEnv = process.env): ModelSettings {
  const problems: Array<[string, string]> = [];
  const parsed = ModelEnvSchema.safeParse(env);
  let values: ModelEnv;
  if (parsed.success) {
    values = parsed.data;
  } else {
    // Read the rest as if the bad variables were unset, so the model ids get checked too and one
    // start-up reports every mistake at once.
    const badVariables = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
    for (const issue of parsed.error.issues) problems.push([issue.path.join("."), issue.message]);
    values = ModelEnvSchema.parse({
      ...env,
      ...Object.fromEntries([...badVariables].map((name) => [name, undefined])),
    });
  }
  const partial = {
    openaiApiKey: values.OPENAI_API_KEY ?? null,
    openaiBaseUrl: values.OPENAI_BASE_URL ?? null,
    anthropicApiKey: values.ANTHROPIC_API_KEY ?? null,
    anthropicBaseUrl: values.ANTHROPIC_BASE_URL ?? null,
    openaiCompatibleBaseUrl: values.OPENAI_COMPATIBLE_BASE_URL ?? null,
    openaiCompatibleApiKey: values.OPENAI_COMPATIBLE_API_KEY ?? null,
    offlineChunkDelayMs: values.SWITCHBOARD_OFFLINE_CHUNK_DELAY_MS ?? 0,
  };
  const configured = new Set(configuredProviders({ ...partial, defaultModel: "", embeddingModel: "" }));

  const defaultModel = canonicalModelId(values.SWITCHBOARD_DEFAULT_MODEL ?? fallbackDefaultModel(values));
  const defaultProblem = checkModelId(defaultModel, configured, "language");
  if (defaultProblem !== null) problems.push(["SWITCHBOARD_DEFAULT_MODEL", defaultProblem]);

  const embeddingModel = canonicalModelId(values.SWITCHBOARD_EMBEDDING_MODEL ?? OFFLINE_MODEL);
  const embeddingProblem = checkModelId(embeddingModel, configured, "embedding");
  if (embeddingProblem !== null) problems.push(["SWITCHBOARD_EMBEDDING_MODEL", embeddingProblem]);

  if (problems.length > 0) throw settingsError(problems);
  return { ...partial, defaultModel, embeddingModel };
}

/** An OpenAI-compatible server has no model everyone has, so it never picks the default itself. */
function fallbackDefaultModel(values: ModelEnv): string {
  if (values.OPENAI_API_KEY !== undefined) return OPENAI_DEFAULT_MODEL;
  if (values.ANTHROPIC_API_KEY !== undefined) return ANTHROPIC_DEFAULT_MODEL;
  return OFFLINE_MODEL;
}

function checkModelId(
  id: string,
  configured: ReadonlySet<string>,
  kind: "language" | "embedding",
): string | null {
  if (id === OFFLINE_MODEL) return null;
  const parts = splitModelId(id);
  if (parts === null) return `must be "offline" or "provider:model", got "${id}"`;
  if (!isProviderId(parts.provider)) {
    return `unknown provider "${parts.provider}" (known: ${Object.keys(PROVIDER_ENV_VARS).join(", ")})`;
  }
  if (parts.provider === "switchboard") {
    return `the switchboard provider only offers "offline", got "${id}"`;
  }
  if (kind === "embedding" && !EMBEDDING_PROVIDERS.has(parts.provider)) {
    return `provider "${parts.provider}" offers no embedding models`;
  }
  if (!configured.has(parts.provider)) {
    return `provider "${parts.provider}" is not configured (set ${PROVIDER_ENV_VARS[parts.provider]})`;
  }
  return null;
}

function settingsError(problems: Array<[string, string]>): ModelSettingsError {
  const lines = problems.map(([variable, message]) => `  ${variable}: ${message}`);
  return new ModelSettingsError(`Invalid configuration:\n${lines.join("\n")}`);
}
