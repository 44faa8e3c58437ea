import {
  type LanguageModelV3,
  type LanguageModelV3CallOptions,
  type LanguageModelV3Content,
  type LanguageModelV3Usage,
  UnsupportedFunctionalityError,
} from "@ai-sdk/provider";
import { type PlannedResponse, planResponse } from "./offline/plan-response.ts";
import { promptToText } from "./offline/prompt-view.ts";
import { stableId } from "./offline/stable-id.ts";
import { createPartStream, toStreamParts } from "./offline/stream-parts.ts";
import { countTokens } from "./offline/tokens.ts";

export { countTokens } from "./offline/tokens.ts";

export type OfflineModelOptions = {
  /** Pause between streamed words, to make streaming visible in demos. 0 means no timers at all. */
  chunkDelayMs?: number;
};

export const OFFLINE_PROVIDER = "switchboard";
export const OFFLINE_MODEL_ID = "offline";

/**
 * A deterministic LanguageModelV3 that never touches the network: it calls the agent's tools,
 * answers extractively from their results, and says plainly what it cannot do.
 */
export function createOfflineModel(options: OfflineModelOptions = {}): LanguageModelV3 {
  const chunkDelayMs = Math.max(0, options.chunkDelayMs ?? 0);
  return {
    specificationVersion: "v3",
    provider: OFFLINE_PROVIDER,
    modelId: OFFLINE_MODEL_ID,
    supportedUrls: {},

    async doGenerate(callOptions) {
      const { response, usage, responseId } = respond(callOptions);
      const content: LanguageModelV3Content[] = [];
      if (response.text.length > 0) content.push({ type: "text", text: response.text });
      for (const call of response.toolCalls) {
        content.push({
          type: "tool-call",
          toolCallId: call.toolCallId,
          toolName: call.toolName,
          input: call.input,
        });
      }
      return {
        content,
        finishReason: response.finishReason,
        usage,
        providerMetadata: { switchboard: { model: OFFLINE_MODEL_ID } },
        response: { id: responseId, modelId: OFFLINE_MODEL_ID },
        warnings: [],
      };
    },

    async doStream(callOptions) {
      const { response, usage, responseId } = respond(callOptions);
      const parts = toStreamParts(response, usage, responseId);
      return { stream: createPartStream(parts, { chunkDelayMs, abortSignal: callOptions.abortSignal }) };
    },
  };
}

function respond(callOptions: LanguageModelV3CallOptions): {
  response: PlannedResponse;
  usage: LanguageModelV3Usage;
  responseId: string;
} {
  callOptions.abortSignal?.throwIfAborted();
  if (callOptions.responseFormat?.type === "json") {
    throw new UnsupportedFunctionalityError({
      functionality: "structured output (responseFormat json) on the offline model",
      message:
        "The offline model cannot produce structured (JSON) output. Configure a model provider, or skip the step that needs it.",
    });
  }
  const promptText = promptToText(callOptions.prompt);
  const response = planResponse(callOptions);
  const usage = countUsage(promptText, response);
  const responseId = stableId(
    "offline",
    promptText,
    response.text,
    ...response.toolCalls.map((call) => call.toolCallId),
  );
  return { response, usage, responseId };
}

function countUsage(promptText: string, response: PlannedResponse): LanguageModelV3Usage {
  const inputTokens = countTokens(promptText);
  const textTokens = countTokens(response.text);
  const toolInputTokens = response.toolCalls.reduce((sum, call) => sum + countTokens(call.input), 0);
  return {
    inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: textTokens + toolInputTokens, text: textTokens, reasoning: 0 },
  };
}
