import { generateText, Output } from "ai";
import { z } from "zod";
import type { ModelRegistry } from "../../../models/model-registry.ts";
import { splitParts } from "../../../models/offline/split-parts.ts";

const PlanSchema = z.object({
  sub_questions: z.array(z.string().min(3).max(500)).min(1).max(10),
});

const STOP_WORDS = new Set(
  "a an and are as at be by can could do does for from how i in is it me of on or our please should tell the to us we what when where which who why will with you your".split(
    " ",
  ),
);

/** The question's content words: a broader query for a second research round. */
export function keyTerms(question: string): string {
  const words = question
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, " ")
    .split(/\s+/)
    .filter((word) => word.length > 2 && !STOP_WORDS.has(word));
  return words.join(" ") || question;
}

/**
 * The sub-questions to research: from the model when a generative one is configured (structured
 * output), otherwise — or when that fails — by splitting the question into its parts.
 */
export async function planSubQuestions(options: {
  question: string;
  maxQuestions: number;
  modelId: string;
  models: ModelRegistry;
  signal: AbortSignal;
}): Promise<{
  questions: string[];
  usage?: { inputTokens?: number | undefined; outputTokens?: number | undefined };
}> {
  const { question, maxQuestions } = options;
  if (!options.models.isOffline(options.modelId)) {
    try {
      const result = await generateText({
        model: options.models.languageModel(options.modelId),
        output: Output.object({ schema: PlanSchema }),
        prompt:
          `Break this research question into at most ${maxQuestions} focused, self-contained sub-questions ` +
          `that together answer it:\n\n${question}`,
        abortSignal: options.signal,
        maxRetries: 1,
      });
      const questions = result.output.sub_questions.slice(0, maxQuestions);
      if (questions.length > 0) return { questions, usage: result.usage };
    } catch {
      // A model that cannot plan is not a failed run: the deterministic split still works.
    }
  }
  const parts = splitParts(question, maxQuestions);
  return { questions: parts.length > 0 ? parts : [question] };
}
