import { generateText, type LanguageModel, Output } from "ai";
import { z } from "zod";
import { AgentTypeSchema } from "../config/agent-config.ts";
import type { IndexedInstance } from "./routing-index.ts";
import { runWithTimeout } from "./run-with-timeout.ts";

/** What the router's model must answer: one instance of the account, how sure it is, and why. */
export const ModelRoutingAnswerSchema = z.object({
  type: AgentTypeSchema.describe("the agent type that should answer"),
  instance: z.string().describe("the slug of the instance that should answer"),
  confidence: z.number().min(0).max(1).describe("how sure you are, from 0 to 1"),
  reason: z.string().max(500).describe("one short sentence saying why"),
});
export type ModelRoutingAnswer = z.infer<typeof ModelRoutingAnswerSchema>;

export type ModelStageOutcome =
  | { status: "answered"; answer: ModelRoutingAnswer; ms: number }
  | { status: "timeout"; ms: number }
  | { status: "failed"; error: unknown; ms: number };

export interface ModelStageInput {
  model: LanguageModel;
  message: string;
  entries: readonly IndexedInstance[];
  routerDescription: string;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  now: () => number;
}

const EXAMPLES_PER_INSTANCE = 4;

/**
 * One structured-output call that classifies the message among the account's active instances,
 * bounded by the router's time budget. It never throws for the model's sake: a timeout or an
 * error comes back as an outcome, and the caller keeps the fast stage's answer.
 */
export async function runModelStage(input: ModelStageInput): Promise<ModelStageOutcome> {
  const started = input.now();
  const elapsed = () => input.now() - started;
  const outcome = await runWithTimeout(
    (signal) =>
      generateText({
        model: input.model,
        system: systemPrompt(input.routerDescription, input.entries),
        prompt: input.message,
        output: Output.object({ schema: ModelRoutingAnswerSchema, name: "routing_decision" }),
        temperature: 0,
        // A retry would blow the budget; the fast stage's answer is the retry.
        maxRetries: 0,
        abortSignal: signal,
      }).then((result) => result.output),
    input.timeoutMs,
    input.signal,
  );
  switch (outcome.status) {
    case "done":
      return { status: "answered", answer: outcome.value, ms: elapsed() };
    case "timeout":
      return { status: "timeout", ms: elapsed() };
    case "failed":
      return { status: "failed", error: outcome.error, ms: elapsed() };
    default: {
      const unreachable: never = outcome;
      return unreachable;
    }
  }
}

function systemPrompt(routerDescription: string, entries: readonly IndexedInstance[]): string {
  const lines = entries.map(({ instance }) => {
    const routing = instance.config.routing;
    const description = routing.description.trim() || instance.config.description;
    const examples = routing.examples.slice(0, EXAMPLES_PER_INSTANCE).map((example) => `"${example}"`);
    return `- instance "${instance.slug}" (type ${instance.type}): ${description}${
      examples.length > 0 ? ` Examples: ${examples.join("; ")}.` : ""
    }`;
  });
  return [
    routerDescription.trim() || "You route a user's message to the agent that should answer it.",
    "Choose exactly one of these agent instances for the user's message:",
    ...lines,
    "Answer with the instance's type and slug, your confidence from 0 to 1, and a one-sentence reason.",
    "If no instance fits (greetings, small talk, unclear or meaningless text), choose a general chat instance with low confidence.",
  ].join("\n");
}
