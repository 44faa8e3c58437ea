import type { LanguageModelV4GenerateResult } from "@ai-sdk/provider";
import { MockLanguageModelV4 } from "ai/test";
import type { RouterModels } from "../../../src/routing/index.ts";

export const GENERATIVE_MODEL_ID = "openai:gpt-test";

export function textResult(text: string): LanguageModelV4GenerateResult {
  return {
    content: [{ type: "text", text }],
    finishReason: { unified: "stop", raw: "stop" },
    usage: {
      inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: 10, text: 10, reasoning: undefined },
    },
    warnings: [],
  };
}

/** A model answering every call with `text` (e.g. a JSON routing answer). */
export function answeringModel(text: string): MockLanguageModelV4 {
  return new MockLanguageModelV4({ doGenerate: async () => textResult(text) });
}

/** A model that answers only after `delayMs`, honouring the abort signal like a real provider. */
export function slowModel(delayMs: number, text = "{}"): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    doGenerate: async (options) => {
      await new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, delayMs);
        options.abortSignal?.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(options.abortSignal?.reason);
        });
      });
      return textResult(text);
    },
  });
}

export function failingModel(message = "provider exploded"): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    doGenerate: async () => {
      throw new Error(message);
    },
  });
}

/** The registry subset the router uses, with one generative model and the offline one. */
export function routerModels(model: MockLanguageModelV4): RouterModels & { requested: string[] } {
  const requested: string[] = [];
  return {
    requested,
    languageModel(id) {
      requested.push(id);
      return model;
    },
    isOffline: (id) => id === "offline",
  };
}
