import { tool, zodSchema } from "ai";
import { z } from "zod";
import type { AgentConfig } from "../../config/agent-config.ts";
import { requireCurrentContext } from "../agent-context.ts";
import type { ChildRunner } from "../child-runner.ts";

export const AskAgentInputSchema = z.object({
  agent_name: z.string().min(1).max(63).describe("The slug of the agent to ask"),
  input_text: z.string().min(1).max(32_000).describe("The question or task for that agent"),
  input_data: z.record(z.string(), z.unknown()).optional().describe("Structured input for the agent"),
  stream_events: z.boolean().default(true).describe("Stream the agent's work to the user as it happens"),
  timeout_seconds: z.number().int().min(1).max(3_600).optional(),
  user_id: z.string().min(1).max(200).optional(),
  session_id: z.string().min(1).max(200).optional(),
  model: z.string().min(1).max(200).optional(),
});

// Converted to JSON Schema once: the SDK would otherwise convert it on every model call.
const askAgentInputSchema = zodSchema(AskAgentInputSchema);

/**
 * Lets an agent ask another active agent of its account. The child inherits the caller's context;
 * a refusal or failure comes back as an error result the caller can reason about, never as an
 * exception that ends the caller's run.
 */
export function createAskAgentTool(runner: ChildRunner, config: AgentConfig) {
  const delegates = config.delegates.includes("*")
    ? "any agent of this account"
    : config.delegates.join(", ");
  return tool({
    description:
      `Ask another agent to answer a question or do a task, and get its answer back. You may ask: ${delegates}. ` +
      "Ask several agents (or the same one about different parts) in one step to run them in parallel.",
    inputSchema: askAgentInputSchema,
    execute: (input, options) => runner.ask(requireCurrentContext(), config, input, options.abortSignal),
  });
}
