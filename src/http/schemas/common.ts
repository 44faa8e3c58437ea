import { z } from "zod";
import { SlugSchema } from "../../config/identifiers.ts";

export const ErrorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const AccountParamsSchema = z.object({ account: SlugSchema }).strict();
export const AgentParamsSchema = z.object({ account: SlugSchema, agent: SlugSchema }).strict();

/** The error statuses every authenticated route can answer, for the OpenAPI document. */
export const COMMON_ERROR_RESPONSES = {
  400: ErrorResponseSchema,
  401: ErrorResponseSchema,
  403: ErrorResponseSchema,
  404: ErrorResponseSchema,
  429: ErrorResponseSchema,
} as const;
