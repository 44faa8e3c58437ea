import { embedText } from "../models/hashing-embedder.ts";

/**
 * Function words and question scaffolding ("how do I", "can you", "please"). They appear in
 * every type's messages, so leaving them in makes unrelated short queries look alike under the
 * hashing embedder. Greetings and modal words such as "should" or "safe" stay: they do say
 * something about who should answer.
 */
const STOP_WORDS = new Set(
  (
    "a about after again all also am an and any are as at be been being but by can could did do does " +
    "doing done for from get got had has have having he her here him his how i if in into is it its " +
    "just let me my myself of on or our ours out over own please so some such than that the their them " +
    "then there these they this those to too us very was we were what when where which while who whom " +
    "why will with would you your yours i'm i'd i've it's what's we're don't doesn't can't let's there's " +
    "who's other another thing things something anything stuff way ways kind sort lot lots really actually " +
    "maybe quite"
  ).split(" "),
);

const WORD_PATTERN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/** Light suffix stripping so "prices"/"pricing"/"price" and "encrypts"/"encrypted" meet. */
export function stemWord(word: string): string {
  let stem = word;
  if (stem.length > 4 && stem.endsWith("ies")) return `${stem.slice(0, -3)}y`;
  if (stem.length > 5 && stem.endsWith("ing")) stem = stem.slice(0, -3);
  else if (stem.length > 4 && stem.endsWith("ed")) stem = stem.slice(0, -2);
  else if (stem.length > 3 && stem.endsWith("s") && !stem.endsWith("ss") && !stem.endsWith("us")) {
    stem = stem.slice(0, -1);
  }
  if (stem.length > 4 && stem.endsWith("e")) stem = stem.slice(0, -1);
  return stem;
}

/** Lowercased, stemmed content words of a text, in order, repeats kept. */
export function routingTerms(text: string): string[] {
  const result: string[] = [];
  for (const match of text.toLowerCase().matchAll(WORD_PATTERN)) {
    const word = match[0].replace("’", "'");
    // Bare numbers ("120 users", "version 4.2") tell who should answer nothing the words around them don't.
    if (STOP_WORDS.has(word) || /^\d+$/u.test(word)) continue;
    result.push(stemWord(word.replace(/'s$/, "")));
  }
  return result;
}

/**
 * Far more buckets than the embedder's default 384: routing texts are short, and at 384 the
 * hash collisions alone give unrelated one-word messages ("x", "ok cool") similarities of 0.1 to
 * 0.2 with some example. Profiles are stored sparse, so the width costs nothing per comparison.
 */
export const ROUTING_DIMENSIONS = 4_096;

/** The embedding of a text's content words; all-zero when the text has none (e.g. "the", "???"). */
export function routingVector(text: string, dimensions: number = ROUTING_DIMENSIONS): Float32Array {
  return embedText(routingTerms(text).join(" "), dimensions);
}

/**
 * Whether the phrase's terms occur in the query's terms as one contiguous run, so the keyword
 * "look up" matches "please look up the terms" but not "look at it, then sum up".
 */
export function containsPhrase(queryTerms: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length === 0 || phrase.length > queryTerms.length) return false;
  for (let start = 0; start + phrase.length <= queryTerms.length; start += 1) {
    let matched = true;
    for (let offset = 0; offset < phrase.length; offset += 1) {
      if (queryTerms[start + offset] !== phrase[offset]) {
        matched = false;
        break;
      }
    }
    if (matched) return true;
  }
  return false;
}
