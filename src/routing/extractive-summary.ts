import { routingTerms } from "./routing-text.ts";

export interface HandoffMessage {
  role: "user" | "assistant" | "system" | "tool";
  content: string;
  /** The instance slug that wrote an assistant message. */
  agent?: string;
}

export interface ExtractiveOptions {
  /** Upper bound on the summary's length, speaker labels included. */
  maxCharacters?: number;
  maxSentences?: number;
  /** The message that triggered the handoff: sentences about the same things rank higher. */
  focus?: string;
}

export const DEFAULT_SUMMARY_CHARACTERS = 600;
const DEFAULT_SUMMARY_SENTENCES = 6;

/** Words that make a sentence polite, not informative: "Thanks, great!" says nothing to pass on. */
const PLEASANTRIES = new Set(
  "hi hello hey thank thanks great ok okay sure bye goodby cheer nice perfect cool welcom glad happy help".split(
    " ",
  ),
);
const FACT_PATTERN = /\d|@|[$€£¥]/u;

interface Sentence {
  text: string;
  speaker: string;
  order: number;
  score: number;
}

/**
 * The most informative sentences of the conversation, in their original order, each line saying
 * who said it. A sentence scores by how central its words are to the whole conversation (terms
 * that recur carry the topic), with a bonus for facts (numbers, addresses, amounts), for words
 * shared with the new message, for the user's own words, and for recency.
 */
export function extractiveSummary(
  history: readonly HandoffMessage[],
  options: ExtractiveOptions = {},
): string {
  const maxCharacters = options.maxCharacters ?? DEFAULT_SUMMARY_CHARACTERS;
  const maxSentences = options.maxSentences ?? DEFAULT_SUMMARY_SENTENCES;
  const sentences = collectSentences(history);
  if (sentences.length === 0) return "";

  const frequency = new Map<string, number>();
  const termsOf = sentences.map((sentence) =>
    routingTerms(sentence.text).filter((term) => !PLEASANTRIES.has(term)),
  );
  for (const terms of termsOf)
    for (const term of new Set(terms)) frequency.set(term, (frequency.get(term) ?? 0) + 1);
  const focus = new Set(routingTerms(options.focus ?? ""));

  sentences.forEach((sentence, position) => {
    const distinct = [...new Set(termsOf[position] ?? [])];
    if (distinct.length === 0) return;
    const centrality = distinct.reduce((sum, term) => sum + Math.log1p(frequency.get(term) ?? 0), 0);
    const focusHits = distinct.filter((term) => focus.has(term)).length;
    sentence.score =
      centrality / Math.sqrt(distinct.length) +
      (FACT_PATTERN.test(sentence.text) ? 1 : 0) +
      Math.min(focusHits, 3) * 0.75 +
      (sentence.speaker === "user" ? 0.25 : 0) +
      (0.5 * (position + 1)) / sentences.length;
  });

  const picked: Sentence[] = [];
  let used = 0;
  for (const sentence of [...sentences]
    .filter((entry) => entry.score > 0)
    .sort((left, right) => right.score - left.score)) {
    if (picked.length >= maxSentences) break;
    const cost = sentence.text.length + sentence.speaker.length + 3;
    if (used + cost > maxCharacters) continue;
    picked.push(sentence);
    used += cost;
  }
  if (picked.length === 0) {
    const best = [...sentences].sort((left, right) => right.score - left.score)[0];
    if (best === undefined) return "";
    const room = Math.max(0, maxCharacters - best.speaker.length - 3);
    picked.push({ ...best, text: truncate(best.text, room) });
  }
  return render(picked.sort((left, right) => left.order - right.order));
}

function collectSentences(history: readonly HandoffMessage[]): Sentence[] {
  const sentences: Sentence[] = [];
  for (const message of history) {
    if (message.role !== "user" && message.role !== "assistant") continue;
    const speaker = message.role === "user" ? "user" : (message.agent ?? "assistant");
    for (const text of splitSentences(message.content)) {
      sentences.push({ text, speaker, order: sentences.length, score: 0 });
    }
  }
  return sentences;
}

/** Consecutive sentences of one speaker share a line: "user: …" / "sales: …". */
function render(sentences: readonly Sentence[]): string {
  const lines: string[] = [];
  let speaker: string | null = null;
  for (const sentence of sentences) {
    if (sentence.speaker === speaker) lines[lines.length - 1] += ` ${sentence.text}`;
    else lines.push(`${sentence.speaker}: ${sentence.text}`);
    speaker = sentence.speaker;
  }
  return lines.join("\n");
}

/** End punctuation followed by a space, or a line break; "49.00" and "e.g. this" mostly stay whole. */
function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}"'(])|\n+/u)
    .map((sentence) => sentence.replace(/\s+/gu, " ").trim())
    .filter((sentence) => sentence.length > 0);
}

export function truncate(text: string, maxCharacters: number): string {
  if (text.length <= maxCharacters) return text;
  if (maxCharacters <= 1) return text.slice(0, maxCharacters);
  const cut = text.slice(0, maxCharacters - 1);
  const lastSpace = cut.lastIndexOf(" ");
  return `${lastSpace > maxCharacters / 2 ? cut.slice(0, lastSpace) : cut}…`;
}
