import type { LanguageModelV3CallOptions, LanguageModelV3FinishReason } from "@ai-sdk/provider";
import { composeExtractiveAnswer } from "./extractive-answer.ts";
import { composeNoToolsReply } from "./no-tools-reply.ts";
import { readPrompt } from "./prompt-view.ts";
import { readOfflineProviderOptions } from "./provider-options.ts";
import { stableId } from "./stable-id.ts";
import { countTokens } from "./tokens.ts";
import { chooseToolCalls } from "./tool-choice.ts";

export type PlannedToolCall = {
  toolCallId: string;
  toolName: string;
  /** JSON text, as language models return tool inputs. */
  input: string;
};

/** Everything the offline model will say for one call, decided up front. */
export type PlannedResponse = {
  text: string;
  toolCalls: PlannedToolCall[];
  finishReason: LanguageModelV3FinishReason;
};

/** The offline policy (DESIGN.md §7): answer from tool results, else call tools, else say what is missing. */
export function planResponse(options: LanguageModelV3CallOptions): PlannedResponse {
  const settings = readOfflineProviderOptions(options.providerOptions);
  const view = readPrompt(options.prompt);

  if (view.toolResults.length > 0) {
    return limitText(composeExtractiveAnswer(view), options.maxOutputTokens);
  }

  const chosen = chooseToolCalls({
    tools: options.tools,
    toolChoice: options.toolChoice,
    userText: view.userText,
    options: settings,
  });
  if (chosen.length > 0) {
    const toolCalls = chosen.map((call, index) => {
      const input = JSON.stringify(call.input);
      // The message count keeps ids distinct across the turns of one conversation.
      const toolCallId = stableId("call", view.messageCount, index, call.toolName, input);
      return { toolCallId, toolName: call.toolName, input };
    });
    return { text: "", toolCalls, finishReason: { unified: "tool-calls", raw: "tool-calls" } };
  }

  const hadTools = (options.tools ?? []).length > 0;
  const reply = composeNoToolsReply({ userText: view.userText, agentName: settings.agentName, hadTools });
  return limitText(reply, options.maxOutputTokens);
}

function limitText(text: string, maxOutputTokens: number | undefined): PlannedResponse {
  const stop: LanguageModelV3FinishReason = { unified: "stop", raw: "stop" };
  if (maxOutputTokens === undefined || countTokens(text) <= maxOutputTokens) {
    return { text, toolCalls: [], finishReason: stop };
  }
  let kept = "";
  for (const word of splitWords(text)) {
    if (countTokens(kept + word) > maxOutputTokens) break;
    kept += word;
  }
  return { text: kept.trimEnd(), toolCalls: [], finishReason: { unified: "length", raw: "length" } };
}

/** Words with their trailing whitespace: joined back together they give the text unchanged. */
export function splitWords(text: string): string[] {
  return text.split(/(?<=\s)(?=\S)/u).filter((word) => word.length > 0);
}
