import { generateText } from "ai";
import {
  DEFAULT_SUMMARY_CHARACTERS,
  type ExtractiveOptions,
  extractiveSummary,
  type HandoffMessage,
  truncate,
} from "./extractive-summary.ts";
import type { RouterModels } from "./routing-types.ts";
import { runWithTimeout } from "./run-with-timeout.ts";

export interface HandoffSummaryOptions extends ExtractiveOptions {
  /** With a generative (not offline) `modelId`, a model writes the summary; otherwise it is extractive. */
  models?: RouterModels;
  modelId?: string;
  /** Budget for the model; past it the extractive summary is used. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Told why the model summary was not used (error, unavailable model), for logs. */
  onError?: (error: unknown, context: string) => void;
}

export interface HandoffSummary {
  summary: string;
  method: "extractive" | "model";
}

const DEFAULT_TIMEOUT_MS = 1_500;
/** The transcript the model sees is bounded too: the most recent part matters most to whoever takes over. */
const MAX_TRANSCRIPT_CHARACTERS = 8_000;

/**
 * What the instance taking over a conversation should know about it so far. Extractive by
 * default (no model, no network, deterministic); model-written when a generative model is
 * configured, falling back to the extractive summary on timeout, error or an empty answer.
 */
export async function summarizeForHandoff(
  history: readonly HandoffMessage[],
  options: HandoffSummaryOptions = {},
): Promise<HandoffSummary> {
  const extractive = (): HandoffSummary => ({
    summary: extractiveSummary(history, options),
    method: "extractive",
  });
  const { models, modelId } = options;
  if (models === undefined || modelId === undefined || models.isOffline(modelId)) return extractive();
  const transcript = transcriptOf(history);
  if (transcript === "") return extractive();

  const maxCharacters = options.maxCharacters ?? DEFAULT_SUMMARY_CHARACTERS;
  try {
    const model = models.languageModel(modelId);
    const outcome = await runWithTimeout(
      (signal) =>
        generateText({
          model,
          system:
            "Summarise this conversation for the agent taking it over. Keep the user's goal, facts they gave " +
            "(names, numbers, addresses) and what was already answered, saying who said what. Plain text, " +
            `at most ${maxCharacters} characters, no preamble.`,
          prompt: transcript,
          temperature: 0,
          maxRetries: 0,
          abortSignal: signal,
        }).then((result) => result.text.trim()),
      options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      options.signal,
    );
    if (outcome.status === "done" && outcome.value !== "") {
      return { summary: truncate(outcome.value, maxCharacters), method: "model" };
    }
    if (outcome.status === "failed") options.onError?.(outcome.error, "handoff summary model failed");
  } catch (error) {
    if (options.signal?.aborted) throw error;
    options.onError?.(error, "handoff summary model not available");
  }
  return extractive();
}

function transcriptOf(history: readonly HandoffMessage[]): string {
  const lines: string[] = [];
  let length = 0;
  for (const message of [...history].reverse()) {
    if (message.role !== "user" && message.role !== "assistant") continue;
    const speaker = message.role === "user" ? "user" : (message.agent ?? "assistant");
    const line = `${speaker}: ${message.content.trim()}`;
    if (length + line.length > MAX_TRANSCRIPT_CHARACTERS) break;
    lines.push(line);
    length += line.length;
  }
  return lines.reverse().join("\n");
}
