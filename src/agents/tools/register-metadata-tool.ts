import { tool, zodSchema } from "ai";
import { z } from "zod";
import { requireCurrentContext } from "../agent-context.ts";

export const RegisterMetadataInputSchema = z.object({
  confidence: z.number().min(0).max(1).optional().describe("How sure the answer is, from 0 to 1"),
  sources: z
    .array(
      z.object({
        title: z.string().max(500).optional(),
        url: z.string().max(2_000).optional(),
        id: z.string().max(200).optional(),
      }),
    )
    .max(50)
    .optional()
    .describe("What the answer is based on"),
  fields: z.record(z.string(), z.unknown()).optional().describe("Any other facts about the answer"),
  agent_schema: z.string().max(200).optional(),
});

// Converted to JSON Schema once: the SDK would otherwise convert it on every model call.
const registerMetadataInputSchema = zodSchema(RegisterMetadataInputSchema);

/** Lets an agent attach confidence, sources and custom fields to its answer's metadata. */
export function createRegisterMetadataTool() {
  return tool({
    description:
      "Record metadata about your answer: confidence (0-1), the sources used, and any custom fields. " +
      "Call it once, before answering, when you know how confident you are.",
    inputSchema: registerMetadataInputSchema,
    execute: async (input) => {
      const context = requireCurrentContext();
      const recorded = context.recordedMetadata;
      if (input.confidence !== undefined) recorded.confidence = input.confidence;
      if (input.sources) recorded.sources = input.sources;
      if (input.fields) recorded.fields = { ...(recorded.fields as object | undefined), ...input.fields };
      recorded.agent_schema = input.agent_schema ?? context.agentSchema;
      return { status: "recorded", agent_schema: recorded.agent_schema };
    },
  });
}
