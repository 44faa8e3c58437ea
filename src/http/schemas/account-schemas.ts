import { z } from "zod";
import { TierSchema, VECTOR_BACKENDS } from "../../accounts/tiers.ts";
import { SlugSchema } from "../../config/identifiers.ts";

export const CreateAccountBodySchema = z
  .object({
    slug: SlugSchema,
    name: z.string().trim().min(1).max(200),
    tier: TierSchema,
  })
  .strict();

export const AccountSchema = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  tier: TierSchema,
  status: z.enum(["active", "suspended"]),
  created_at: z.string(),
});

export const TierLimitsSchema = z.object({
  max_instances_per_type: z.number(),
  requests_per_minute: z.number(),
  tokens_per_day: z.number(),
  knowledge_chunks: z.number(),
  max_nesting_depth: z.number(),
  max_child_runs_per_request: z.number(),
  max_tokens_per_request: z.number(),
  child_timeout_seconds: z.number(),
  vector_backend: z.enum(VECTOR_BACKENDS),
});

export const AccountUsageSchema = z.object({
  today: z.object({
    day: z.string(),
    requests: z.number(),
    input_tokens: z.number(),
    output_tokens: z.number(),
  }),
  instances: z.object({ total: z.number(), by_type: z.record(z.string(), z.number()) }),
});

export const AccountDetailSchema = AccountSchema.extend({
  limits: TierLimitsSchema,
  usage: AccountUsageSchema,
});

export const CreatedAccountSchema = z.object({
  account: AccountSchema,
  api_key: z.string().describe("Shown once; store it now. Only its hash is kept."),
});
