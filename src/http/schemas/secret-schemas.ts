import { z } from "zod";
import { SecretNameSchema } from "../../config/agent-config.ts";
import { SlugSchema } from "../../config/identifiers.ts";

export const SecretParamsSchema = z.object({ account: SlugSchema, name: SecretNameSchema }).strict();

export const PutSecretBodySchema = z
  .object({
    value: z.string().min(1).max(16_384).describe("The secret; stored encrypted, never returned"),
  })
  .strict();

/** A secret as the API shows it: its name and dates, never its value. */
export const SecretSummarySchema = z.object({
  name: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const SecretListSchema = z.object({ secrets: z.array(SecretSummarySchema) });
