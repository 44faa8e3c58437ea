import { z } from "zod";
import { AgentTypeSchema } from "../../config/agent-config.ts";
import { SlugSchema } from "../../config/identifiers.ts";
import { MetadataEventSchema } from "../../events/index.ts";

const MessageSchema = z
  .string()
  .min(1, "must not be empty")
  .max(32_000, "must be at most 32,000 characters")
  .refine((text) => !text.includes("\u0000"), "must not contain NUL characters");

export const ChatBodySchema = z
  .object({
    message: MessageSchema,
    conversation_id: z.uuid().optional(),
    user_id: z.string().min(1).max(200).optional(),
    model: z.string().min(1).max(200).optional().describe("Model override, when the agent allows it"),
    is_eval: z.boolean().optional(),
  })
  .strict();

export const StreamQuerySchema = z.object({ format: z.enum(["sse", "ui"]).default("sse") }).strict();

/** The EventSource form: a GET carries the body's fields in the query string. */
export const StreamGetQuerySchema = z
  .object({
    message: MessageSchema,
    conversation_id: z.uuid().optional(),
    user_id: z.string().min(1).max(200).optional(),
    model: z.string().min(1).max(200).optional(),
    is_eval: z.enum(["true", "false"]).optional(),
    format: z.enum(["sse", "ui"]).default("sse"),
  })
  .strict();

export const ExplicitAgentParamsSchema = z
  .object({ account: SlugSchema, type: AgentTypeSchema, instance: SlugSchema })
  .strict();

export const DefaultAccountAgentParamsSchema = z.object({ agent: SlugSchema }).strict();

const RunMetadataSchema = MetadataEventSchema.omit({ type: true, run_id: true, seq: true });

export const ChatResponseSchema = z.object({
  conversation_id: z.uuid(),
  message_id: z.uuid(),
  agent: z.object({ instance: z.string(), type: AgentTypeSchema, agent_schema: z.string() }),
  text: z.string(),
  metadata: RunMetadataSchema,
  usage: RunMetadataSchema.shape.usage,
});
