import type {
  LanguageModelV3FunctionTool,
  LanguageModelV3ProviderTool,
  LanguageModelV3ToolChoice,
} from "@ai-sdk/provider";
import { fillArguments, isRecord } from "./fill-arguments.ts";
import { readMessageFacts } from "./message-facts.ts";
import type { ResolvedOfflineOptions } from "./provider-options.ts";
import { splitParts } from "./split-parts.ts";
import { cleanText, contentWords, splitSentences } from "./text-terms.ts";

export type ChosenToolCall = {
  toolName: string;
  input: Record<string, unknown>;
};

export type ToolChoiceRequest = {
  tools: ReadonlyArray<LanguageModelV3FunctionTool | LanguageModelV3ProviderTool> | undefined;
  toolChoice: LanguageModelV3ToolChoice | undefined;
  userText: string;
  options: ResolvedOfflineOptions;
};

const PRODUCT_INTENT =
  /\b(?:products?|prices?|priced|pricing|buy|buying|purchase|costs?|costing|plans?|subscriptions?|how much|cheap(?:er|est)?|expensive|afford(?:able)?|sku|tiers?|licen[cs]es?|quotes?)\b/iu;
const CONTACT_DETAILS =
  /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}|\bhttps?:\/\/\S+|\+?\d[\d\s().-]{6,}\d/gu;
const AGENT_PROPERTY_NAMES = ["agent_name", "agent", "agent_slug", "instance", "delegate"];
const INPUT_PROPERTY_NAMES = ["input_text", "input", "message", "question", "query", "prompt", "text"];

/** The first step of a turn: which tools to call, and with what, all in one step. */
export function chooseToolCalls(request: ToolChoiceRequest): ChosenToolCall[] {
  const { toolChoice, userText, options } = request;
  if (toolChoice?.type === "none" || cleanText(userText).length === 0) return [];
  const tools = (request.tools ?? []).filter(
    (tool): tool is LanguageModelV3FunctionTool =>
      tool.type === "function" && (toolChoice?.type !== "tool" || tool.name === toolChoice.toolName),
  );
  const facts = readMessageFacts(userText);
  const calls: ChosenToolCall[] = [];
  for (const tool of tools) {
    switch (tool.name) {
      case "search_products": {
        if (!PRODUCT_INTENT.test(userText)) break;
        const query = productQuery(userText);
        const filled = fillArguments(tool.inputSchema, { given: { query }, facts, message: userText });
        if (filled !== undefined) calls.push({ toolName: tool.name, input: filled.input });
        break;
      }
      case "search_knowledge": {
        const given = { query: cleanText(withoutContactDetails(userText)) };
        const filled = fillArguments(tool.inputSchema, { given, facts, message: userText });
        if (filled !== undefined) calls.push({ toolName: tool.name, input: filled.input });
        break;
      }
      case "ask_agent":
        calls.push(...delegationCalls(tool, userText, options));
        break;
      default: {
        const filled = fillArguments(tool.inputSchema, { given: {}, facts, message: userText });
        // Defaults alone are no reason to call a tool; something must come from the message.
        if (filled !== undefined && filled.readFromMessage > 0) {
          calls.push({ toolName: tool.name, input: filled.input });
        }
      }
    }
  }
  return calls;
}

/** One ask_agent call per part of the request, so the parts run in parallel. */
function delegationCalls(
  tool: LanguageModelV3FunctionTool,
  userText: string,
  options: ResolvedOfflineOptions,
): ChosenToolCall[] {
  const firstDelegate = options.delegates[0];
  if (firstDelegate === undefined) return [];
  const properties = isRecord(tool.inputSchema.properties) ? tool.inputSchema.properties : {};
  const agentProperty = AGENT_PROPERTY_NAMES.find((name) => name in properties) ?? "agent_name";
  const inputProperty = INPUT_PROPERTY_NAMES.find((name) => name in properties) ?? "input_text";
  const calls: ChosenToolCall[] = [];
  for (const part of splitParts(userText, options.maxFanOut)) {
    const agent = options.delegates.find((name) => mentions(part, name)) ?? firstDelegate;
    const filled = fillArguments(tool.inputSchema, {
      given: { [agentProperty]: agent, [inputProperty]: part },
      facts: {},
      message: part,
    });
    if (filled !== undefined) calls.push({ toolName: tool.name, input: filled.input });
  }
  return calls;
}

function mentions(text: string, name: string): boolean {
  const escaped = name.toLowerCase().replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
  return new RegExp(`(?<![\\p{L}\\p{N}_-])${escaped}(?![\\p{L}\\p{N}_-])`, "u").test(text.toLowerCase());
}

/** Contact details are for lead capture, not for search engines and their logs. */
function withoutContactDetails(text: string): string {
  return text.replace(CONTACT_DETAILS, " ");
}

/** The content words of the sentences that ask about products: "How much is the Pro plan?" → "Pro plan". */
function productQuery(userText: string): string {
  const text = withoutContactDetails(userText);
  const asking = splitSentences(text).filter((sentence) => PRODUCT_INTENT.test(sentence));
  const words = contentWords((asking.length > 0 ? asking : [text]).join(" "));
  // Price words describe the question, not the product; keep them only if nothing else is left.
  const productWords = words.filter(
    (word) => !/^(?:price|prices|pricing|cost|costs|buy|purchase)$/iu.test(word),
  );
  if (productWords.length > 0) return productWords.join(" ");
  return words.length > 0 ? words.join(" ") : cleanText(text);
}
