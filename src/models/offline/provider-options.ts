import type { SharedV3ProviderOptions } from "@ai-sdk/provider";
import { z } from "zod";

export const DEFAULT_MAX_FAN_OUT = 3;

/**
 * Every field falls back on its own, so one bad value (say `maxFanOut: "three"`) does not
 * throw away the agent name and delegates that were given correctly.
 */
export const OfflineProviderOptionsSchema = z
  .object({
    agentName: z.string().trim().min(1).optional().catch(undefined),
    delegates: z
      .array(z.unknown())
      .transform((values) =>
        values.filter((value): value is string => typeof value === "string" && value.trim().length > 0),
      )
      .optional()
      .catch(undefined),
    maxFanOut: z.number().int().min(1).max(32).optional().catch(undefined),
  })
  .catch({});

export type OfflineProviderOptions = z.infer<typeof OfflineProviderOptionsSchema>;

export type ResolvedOfflineOptions = {
  agentName: string | undefined;
  delegates: string[];
  maxFanOut: number;
};

export function readOfflineProviderOptions(
  providerOptions: SharedV3ProviderOptions | undefined,
): ResolvedOfflineOptions {
  const parsed = OfflineProviderOptionsSchema.parse(providerOptions?.switchboard ?? {});
  return {
    agentName: parsed.agentName,
    delegates: (parsed.delegates ?? []).map((name) => name.trim()),
    maxFanOut: parsed.maxFanOut ?? DEFAULT_MAX_FAN_OUT,
  };
}
