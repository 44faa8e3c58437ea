import { z } from "zod";
import { deepMerge } from "../config/deep-merge.ts";
import { type RouterConfig, RouterConfigSchema } from "../config/router-config.ts";
import type { MultiAgentSettings } from "../config/settings.ts";
import { configIssues, type TemplateSet } from "../config/templates.ts";
import { AppError } from "../errors/app-error.ts";

export class InvalidAccountSettingsError extends AppError {
  override readonly name = "InvalidAccountSettingsError";
  readonly code = "INVALID_ACCOUNT_SETTINGS";
  readonly status = 422;
}

/** Multi-agent limits an account may set for itself; the platform's and the tier's still cap them. */
export const MultiAgentOverridesSchema = z
  .object({
    max_nesting_depth: z.number().int().min(0).max(20).optional(),
    event_relay_enabled: z.boolean().optional(),
    child_timeout_seconds: z.number().int().min(1).max(3_600).optional(),
    aggregate_metadata: z.boolean().optional(),
    max_child_runs_per_request: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();

export const AccountSettingsSchema = z
  .object({
    /** Overrides of templates/router.yaml, merged like agent config overrides. */
    router: z.record(z.string(), z.unknown()).optional(),
    multi_agent: MultiAgentOverridesSchema.optional(),
  })
  .strict();
export type AccountSettings = z.infer<typeof AccountSettingsSchema>;

export function readAccountSettings(stored: Record<string, unknown>): AccountSettings {
  const parsed = AccountSettingsSchema.safeParse(stored);
  return parsed.success ? parsed.data : {};
}

// Cached accounts share one settings object until their settings are written, so the merge and
// validation run once per change rather than on every routed message.
const routerConfigs = new WeakMap<AccountSettings, RouterConfig>();

/** The router config an account's messages are routed with: the template ⊕ the account's overrides. */
export function routerConfigFor(templates: TemplateSet, settings: AccountSettings): RouterConfig {
  if (!settings.router) return templates.router;
  const cached = routerConfigs.get(settings);
  if (cached) return cached;
  const parsed = RouterConfigSchema.safeParse(deepMerge(templates.routerRaw, settings.router));
  const config = parsed.success ? parsed.data : templates.router;
  routerConfigs.set(settings, config);
  return config;
}

/** Refuses settings that would not validate, naming each field, before anything is stored. */
export function validateAccountSettings(templates: TemplateSet, input: AccountSettings): AccountSettings {
  if (input.router) {
    const parsed = RouterConfigSchema.safeParse(deepMerge(templates.routerRaw, input.router));
    if (!parsed.success) {
      const issues = configIssues(parsed.error).map((issue) => ({ ...issue, path: `router.${issue.path}` }));
      throw new InvalidAccountSettingsError(
        `Invalid account settings: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`,
        { details: { issues } },
      );
    }
  }
  return input;
}

/** An account may lower the platform's multi-agent settings, never raise them (the tier caps later). */
export function multiAgentFor(platform: MultiAgentSettings, settings: AccountSettings): MultiAgentSettings {
  const own = settings.multi_agent;
  if (!own) return platform;
  const lower = (mine: number | undefined, theirs: number) =>
    mine === undefined ? theirs : Math.min(mine, theirs);
  return {
    maxNestingDepth: lower(own.max_nesting_depth, platform.maxNestingDepth),
    eventRelayEnabled: platform.eventRelayEnabled && (own.event_relay_enabled ?? true),
    childTimeoutSeconds: lower(own.child_timeout_seconds, platform.childTimeoutSeconds),
    aggregateMetadata: platform.aggregateMetadata && (own.aggregate_metadata ?? true),
    maxChildRunsPerRequest:
      own.max_child_runs_per_request === undefined
        ? platform.maxChildRunsPerRequest
        : Math.min(
            own.max_child_runs_per_request,
            platform.maxChildRunsPerRequest ?? Number.POSITIVE_INFINITY,
          ),
  };
}
