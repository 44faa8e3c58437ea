import type {
  LanguageModelV3Message,
  LanguageModelV3Prompt,
  LanguageModelV3ToolResultOutput,
} from "@ai-sdk/provider";

export type TurnToolCall = {
  toolCallId: string;
  toolName: string;
  input: unknown;
};

export type TurnToolResult = {
  toolCallId: string;
  toolName: string;
  output: LanguageModelV3ToolResultOutput;
  /** The call this result answers, when the prompt still holds it. */
  call: TurnToolCall | undefined;
};

/** What the offline policy needs from a prompt: the current turn only. */
export type PromptView = {
  userText: string;
  toolCalls: TurnToolCall[];
  toolResults: TurnToolResult[];
  messageCount: number;
};

export function readPrompt(prompt: LanguageModelV3Prompt): PromptView {
  const lastUserIndex = prompt.findLastIndex((message) => message.role === "user");
  const lastUser = lastUserIndex >= 0 ? prompt[lastUserIndex] : undefined;
  const userText = lastUser === undefined ? "" : messageText(lastUser);

  // Earlier turns are history: only calls and results after the latest user message
  // belong to the question being answered now.
  const toolCalls: TurnToolCall[] = [];
  const pendingResults: Omit<TurnToolResult, "call">[] = [];
  for (const message of prompt.slice(lastUserIndex + 1)) {
    if (message.role === "assistant") {
      for (const part of message.content) {
        if (part.type === "tool-call") {
          toolCalls.push({
            toolCallId: part.toolCallId,
            toolName: part.toolName,
            input: parseInput(part.input),
          });
        } else if (part.type === "tool-result") {
          pendingResults.push({ toolCallId: part.toolCallId, toolName: part.toolName, output: part.output });
        }
      }
    } else if (message.role === "tool") {
      for (const part of message.content) {
        if (part.type === "tool-result") {
          pendingResults.push({ toolCallId: part.toolCallId, toolName: part.toolName, output: part.output });
        }
      }
    }
  }
  const callsById = new Map(toolCalls.map((call) => [call.toolCallId, call]));
  const toolResults = pendingResults.map((result) => ({ ...result, call: callsById.get(result.toolCallId) }));
  return { userText, toolCalls, toolResults, messageCount: prompt.length };
}

/** The whole prompt as plain text, the basis of input token counting. */
export function promptToText(prompt: LanguageModelV3Prompt): string {
  const pieces: string[] = [];
  for (const message of prompt) {
    if (message.role === "system") {
      pieces.push(message.content);
      continue;
    }
    for (const part of message.content) {
      switch (part.type) {
        case "text":
        case "reasoning":
          pieces.push(part.text);
          break;
        case "file":
          if (part.filename !== undefined) pieces.push(part.filename);
          break;
        case "tool-call":
          pieces.push(part.toolName, stringifyInput(part.input));
          break;
        case "tool-result":
          pieces.push(part.toolName, toolOutputToText(part.output));
          break;
        case "tool-approval-response":
          if (part.reason !== undefined) pieces.push(part.reason);
          break;
        default: {
          const exhaustive: never = part;
          return exhaustive;
        }
      }
    }
  }
  return pieces.join("\n");
}

export function toolOutputToText(output: LanguageModelV3ToolResultOutput): string {
  switch (output.type) {
    case "text":
    case "error-text":
      return output.value;
    case "json":
    case "error-json":
      return JSON.stringify(output.value) ?? "";
    case "execution-denied":
      return output.reason ?? "";
    case "content":
      return output.value
        .map((item) => (item.type === "text" ? item.text : ""))
        .filter((text) => text.length > 0)
        .join("\n");
    default: {
      const exhaustive: never = output;
      return exhaustive;
    }
  }
}

function messageText(message: LanguageModelV3Message): string {
  if (message.role === "system") return message.content;
  const texts: string[] = [];
  for (const part of message.content) {
    if (part.type === "text") texts.push(part.text);
  }
  return texts.join("\n").trim();
}

function parseInput(input: unknown): unknown {
  if (typeof input !== "string") return input;
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}

function stringifyInput(input: unknown): string {
  return typeof input === "string" ? input : (JSON.stringify(input) ?? "");
}
