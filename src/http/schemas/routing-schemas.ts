import { z } from "zod";
import { AgentTypeSchema } from "../../config/agent-config.ts";
import { RoutingStageSchema } from "../../events/index.ts";
import { ChatResponseSchema } from "./chat-schemas.ts";

export const RouteBodySchema = z
  .object({
    message: z
      .string()
      .min(1, "must not be empty")
      .max(32_000)
      .refine((text) => !text.includes("\u0000"), "must not contain NUL characters"),
    conversation_id: z.uuid().optional(),
  })
  .strict();

const HandoffSchema = z.object({ from: z.string(), to: z.string() });

/** `POST /accounts/{account}/route`: the decision alone, in the shape DESIGN §5 names. */
export const RouteResponseSchema = z.object({
  type: AgentTypeSchema,
  instance: z.string(),
  confidence: z.number(),
  stage: RoutingStageSchema,
  alternatives: z.array(z.object({ type: AgentTypeSchema, instance: z.string(), confidence: z.number() })),
  ms: z.number(),
  reason: z.string(),
  fallback: z.boolean(),
  handoff: HandoffSchema.nullable(),
});

/** The unified chat's JSON answer: the agent's answer plus how it was routed (as in the `routing` event). */
export const UnifiedChatResponseSchema = ChatResponseSchema.extend({
  routing: z.object({
    agent_type: AgentTypeSchema,
    instance: z.string(),
    confidence: z.number(),
    stage: RoutingStageSchema,
    alternatives: z.array(
      z.object({ agent_type: AgentTypeSchema, instance: z.string(), confidence: z.number() }),
    ),
    ms: z.number(),
    reason: z.string(),
    fallback: z.boolean(),
    handoff: HandoffSchema.nullable(),
  }),
  handoff: HandoffSchema.extend({ summary: z.string() }).nullable(),
});
