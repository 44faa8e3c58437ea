import { z } from "zod";
import { AgentTypeSchema, ModelIdSchema } from "./agent-config.ts";

export const RouterConfigSchema = z
  .object({
    description: z.string().max(2_000).default(""),
    model: ModelIdSchema.default("default"),
    stages: z.object({ fast: z.boolean().default(true), model: z.boolean().default(true) }).strict(),
    thresholds: z
      .object({ accept: z.number().min(0).max(1), fallback: z.number().min(0).max(1) })
      .strict()
      .refine((value) => value.fallback <= value.accept, {
        message: "fallback must not exceed accept",
      }),
    model_stage: z.object({ timeout_ms: z.number().int().min(50).max(30_000).default(1_500) }).strict(),
    stickiness: z
      .object({
        enabled: z.boolean().default(true),
        switch_margin: z.number().min(0).max(1).default(0.15),
      })
      .strict(),
    cache: z
      .object({
        enabled: z.boolean().default(true),
        ttl_seconds: z.number().int().min(1).max(86_400).default(300),
      })
      .strict(),
    fallback_type: AgentTypeSchema.default("simple-chat"),
  })
  .strict();

export type RouterConfig = z.infer<typeof RouterConfigSchema>;
