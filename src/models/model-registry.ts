import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { EmbeddingModelV4, LanguageModelV4, ProviderV3, ProviderV4 } from "@ai-sdk/provider";
import { createProviderRegistry, customProvider, NoSuchModelError } from "ai";
import { AppError } from "../errors/app-error.ts";
import { createHashingEmbeddingModel, DEFAULT_EMBEDDING_DIMENSIONS } from "./hashing-embedder.ts";
import {
  canonicalModelId,
  configuredProviders,
  isProviderId,
  type ModelSettings,
  OFFLINE_MODEL,
  OFFLINE_REGISTRY_ID,
  PROVIDER_ENV_VARS,
  type ProviderId,
  splitModelId,
} from "./model-settings.ts";
import { createOfflineModel } from "./offline-model.ts";

/** The id agent configs use for "whatever the platform's default is". */
export const DEFAULT_MODEL_ALIAS = "default";

/** A model id that names no configured model: a config or request problem, never a server fault. */
export class ModelNotAvailableError extends AppError {
  override readonly name = "ModelNotAvailableError";
  readonly code = "MODEL_NOT_AVAILABLE";
  readonly status = 422;
  readonly modelId: string;

  constructor(modelId: string, reason: string, options?: { cause?: unknown }) {
    super(`Model "${modelId}" is not available: ${reason}`, {
      cause: options?.cause,
      details: { model: modelId },
    });
    this.modelId = modelId;
  }

  static override isInstance(error: unknown): error is ModelNotAvailableError {
    return error instanceof ModelNotAvailableError;
  }
}

export interface ProviderDescription {
  id: ProviderId;
  /** Where requests go; null is the provider's public endpoint. Credentials are never included. */
  baseUrl: string | null;
}

export interface ModelRegistryDescription {
  defaultModel: string;
  embeddingModel: string;
  providers: ProviderDescription[];
}

export interface ModelRegistry {
  /** `"default"`, `"offline"` or `"provider:model"`; throws ModelNotAvailableError otherwise. */
  languageModel(id: string): LanguageModelV4;
  /** Request override (when allowed) > config model > default; always canonical. */
  resolveModelId(configModel: string, requestOverride?: string, allowOverride?: boolean): string;
  isOffline(id: string): boolean;
  embeddingModel(): EmbeddingModelV4;
  embeddingModelId(): string;
  describe(): ModelRegistryDescription;
}

export function createModelRegistry(settings: ModelSettings): ModelRegistry {
  const providers = buildProviders(settings);
  const registry = createProviderRegistry(providers);
  const registryIdOf = (canonicalId: string) =>
    canonicalId === OFFLINE_MODEL ? OFFLINE_REGISTRY_ID : canonicalId;

  const canonicalize = (id: string): string => {
    const trimmed = id.trim();
    return trimmed === DEFAULT_MODEL_ALIAS || trimmed === ""
      ? settings.defaultModel
      : canonicalModelId(trimmed);
  };

  // Built once: the registry would otherwise wrap the embedder anew for every ingestion batch.
  const embedding = resolveEmbedding();

  function resolveEmbedding(): { id: string; model: EmbeddingModelV4 } {
    const parts = splitModelId(settings.embeddingModel);
    if (parts !== null && parts.provider !== "switchboard" && Object.hasOwn(providers, parts.provider)) {
      try {
        return {
          id: settings.embeddingModel,
          model: registry.embeddingModel(settings.embeddingModel as `${string}:${string}`),
        };
      } catch (error) {
        // Settings loaded from the environment never get here; hand-built ones fall back like the design says.
        if (!NoSuchModelError.isInstance(error)) throw error;
      }
    }
    return { id: OFFLINE_MODEL, model: registry.embeddingModel(OFFLINE_REGISTRY_ID) };
  }

  return {
    languageModel(id) {
      const canonicalId = canonicalize(id);
      const reason = unavailableReason(canonicalId, providers);
      if (reason !== null) throw new ModelNotAvailableError(canonicalId, reason);
      try {
        return registry.languageModel(registryIdOf(canonicalId) as `${string}:${string}`);
      } catch (error) {
        if (NoSuchModelError.isInstance(error)) {
          throw new ModelNotAvailableError(canonicalId, "the provider does not offer it", { cause: error });
        }
        throw error;
      }
    },

    resolveModelId(configModel, requestOverride, allowOverride = true) {
      const override = requestOverride?.trim();
      if (allowOverride && override !== undefined && override !== "") return canonicalize(override);
      return canonicalize(configModel);
    },

    isOffline(id) {
      return canonicalize(id) === OFFLINE_MODEL;
    },

    embeddingModel: () => embedding.model,
    embeddingModelId: () => embedding.id,

    describe() {
      return {
        defaultModel: settings.defaultModel,
        embeddingModel: embedding.id,
        providers: configuredProviders(settings).map((id) => ({ id, baseUrl: publicBaseUrl(settings, id) })),
      };
    },
  };
}

function buildProviders(settings: ModelSettings): Record<string, ProviderV4 | ProviderV3> {
  const providers: Record<string, ProviderV4 | ProviderV3> = {
    switchboard: customProvider({
      languageModels: { offline: createOfflineModel({ chunkDelayMs: settings.offlineChunkDelayMs }) },
      embeddingModels: { offline: createHashingEmbeddingModel(DEFAULT_EMBEDDING_DIMENSIONS) },
    }),
  };
  if (settings.openaiApiKey !== null) {
    providers.openai = createOpenAI({
      apiKey: settings.openaiApiKey,
      ...(settings.openaiBaseUrl !== null && { baseURL: settings.openaiBaseUrl }),
    });
  }
  if (settings.anthropicApiKey !== null) {
    providers.anthropic = createAnthropic({
      apiKey: settings.anthropicApiKey,
      ...(settings.anthropicBaseUrl !== null && { baseURL: settings.anthropicBaseUrl }),
    });
  }
  if (settings.openaiCompatibleBaseUrl !== null) {
    providers["openai-compatible"] = createOpenAICompatible({
      name: "openai-compatible",
      baseURL: settings.openaiCompatibleBaseUrl,
      ...(settings.openaiCompatibleApiKey !== null && { apiKey: settings.openaiCompatibleApiKey }),
      // Without it streamed answers report no token usage, and quotas count nothing.
      includeUsage: true,
    });
  }
  return providers;
}

function unavailableReason(canonicalId: string, providers: Record<string, unknown>): string | null {
  if (canonicalId === OFFLINE_MODEL) return null;
  const parts = splitModelId(canonicalId);
  if (parts === null) return `expected "default", "offline" or "provider:model"`;
  if (!isProviderId(parts.provider)) {
    return `unknown provider "${parts.provider}" (known: ${Object.keys(PROVIDER_ENV_VARS).join(", ")})`;
  }
  if (parts.provider === "switchboard") return `the switchboard provider only offers "${OFFLINE_MODEL}"`;
  if (!Object.hasOwn(providers, parts.provider)) {
    return `provider "${parts.provider}" is not configured (set ${PROVIDER_ENV_VARS[parts.provider]})`;
  }
  return null;
}

/** Base URLs can embed credentials (`https://user:token@host`) or keys in the query; keep neither. */
function publicBaseUrl(settings: ModelSettings, provider: ProviderId): string | null {
  const raw =
    provider === "openai"
      ? settings.openaiBaseUrl
      : provider === "anthropic"
        ? settings.anthropicBaseUrl
        : provider === "openai-compatible"
          ? settings.openaiCompatibleBaseUrl
          : null;
  if (raw === null) return null;
  const url = new URL(raw);
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, "")}`;
}
