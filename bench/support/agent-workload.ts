/**
 * The agent work every runtime benchmark sends, and the bare AI SDK calls it is compared with:
 * the seeded `simple-chat` instance on the offline model, and `streamText`/`generateText` with the
 * same model, system prompt and agent name, so both sides produce the very same answer.
 */
import type { LanguageModelV3 } from "@ai-sdk/provider";
import { generateText, streamText } from "ai";
import { loadTemplates, resolveAgentConfig } from "../../src/config/templates.ts";
import { createOfflineModel } from "../../src/models/offline-model.ts";

/** The demo account's instance every benchmark talks to (seeded with slug = type = name). */
export const AGENT_SLUG = "simple-chat";
export const CHAT_PATH = `/accounts/demo/agents/${AGENT_SLUG}/chat`;
export const STREAM_PATH = `/accounts/demo/agents/${AGENT_SLUG}/stream`;
/** The only route of the bare streaming baseline (`bare-stream-server.ts`). */
export const BARE_STREAM_PATH = "/stream";
/** Child entries of the two servers the runtime benchmarks compare. */
export const BARE_STREAM_SERVER_ENTRY = new URL("./bare-stream-server.ts", import.meta.url);

/** A typical short chat message; the offline answer to it has 45 words. */
export const SHORT_MESSAGE = "hello there, how are you?";

/**
 * The offline model restates at most 200 characters of the request, so a long message is cut short
 * and never reaches 100 deltas; 61 two- and three-letter words fill exactly 200 characters and make
 * an answer of 100 word deltas.
 */
export const HUNDRED_DELTA_MESSAGE =
  "so we go up to an old inn by a big oak and we sit at a red box to eat an egg or a fig as we do " +
  "on a day off then we go on by the sea to a hut at dusk and a cat or a dog may see us go by it as we do so";

/** Text deltas the offline model streams for `HUNDRED_DELTA_MESSAGE`; checked on the wire, not assumed. */
export const EXPECTED_DELTAS = 100;

const simpleChat = resolveAgentConfig(loadTemplates(), "simple-chat", {});
const offlineModels = new Map<number, LanguageModelV3>();

/** One model per delay, built once like the server's registry does. */
function offlineModel(chunkDelayMs: number): LanguageModelV3 {
  let model = offlineModels.get(chunkDelayMs);
  if (!model) {
    model = createOfflineModel({ chunkDelayMs });
    offlineModels.set(chunkDelayMs, model);
  }
  return model;
}

/** The same call options the agent factory gives the seeded instance, without the agent around them. */
export function bareCallOptions(message: string, chunkDelayMs = 0) {
  return {
    model: offlineModel(chunkDelayMs),
    system: simpleChat.system_prompt,
    prompt: message,
    ...(simpleChat.temperature === undefined ? {} : { temperature: simpleChat.temperature }),
    // The offline model names the answering agent; the seeded instance is named after its type.
    providerOptions: { switchboard: { agentName: AGENT_SLUG } },
  };
}

export async function bareGenerateText(message: string): Promise<string> {
  const result = await generateText(bareCallOptions(message));
  return result.text;
}

/** Consumes the whole stream, as a server relaying it would; returns the number of text deltas. */
export async function bareStreamText(message: string): Promise<number> {
  const result = streamText(bareCallOptions(message));
  let deltas = 0;
  for await (const part of result.fullStream) if (part.type === "text-delta") deltas += 1;
  return deltas;
}
