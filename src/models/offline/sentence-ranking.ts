import type { Passage } from "./passages.ts";
import { splitSentences, terms } from "./text-terms.ts";

export type RankedSentence = {
  text: string;
  passage: Passage;
  score: number;
};

export type RankingOptions = {
  /** How many sentences to keep at most. */
  limit?: number;
  /** Sentences scoring below this share of the best one are dropped as weak matches. */
  relativeFloor?: number;
};

const K1 = 1.2;
const B = 0.75;
const PRICE_QUESTION = /\b(?:price|pricing|cost|costs|how much|cheap|expensive|fee|fees)\b/iu;
const PRICE_MENTION = /\d(?:[\d.,]*\d)?\s*(?:[A-Z]{3}\b|[$€£¥])|[$€£¥]\s*\d/u;

/**
 * BM25 over sentences (each sentence is a document): rare question terms weigh more, long
 * sentences are not favoured for length alone. The kept sentences come back in source order
 * so the answer reads the way the sources do.
 */
export function rankSentences(
  question: string,
  passages: ReadonlyArray<Passage>,
  options: RankingOptions = {},
): RankedSentence[] {
  const limit = options.limit ?? 3;
  const relativeFloor = options.relativeFloor ?? 0.5;
  const queryTerms = [...new Set(terms(question))];
  if (queryTerms.length === 0) return [];

  const documents: Array<{ text: string; passage: Passage; terms: string[] }> = [];
  const seen = new Set<string>();
  for (const passage of passages) {
    for (const sentence of splitSentences(passage.text)) {
      const key = sentence.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      documents.push({ text: sentence, passage, terms: terms(sentence) });
    }
  }
  if (documents.length === 0) return [];

  const documentFrequency = new Map<string, number>();
  let totalLength = 0;
  for (const document of documents) {
    totalLength += document.terms.length;
    for (const term of new Set(document.terms)) {
      documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    }
  }
  const averageLength = Math.max(1, totalLength / documents.length);
  const asksForPrice = PRICE_QUESTION.test(question);

  const scored = documents.map((document, order) => {
    let score = 0;
    for (const term of queryTerms) {
      const frequency = document.terms.reduce((count, candidate) => count + (candidate === term ? 1 : 0), 0);
      if (frequency === 0) continue;
      const df = documentFrequency.get(term) ?? 0;
      const idf = Math.log(1 + (documents.length - df + 0.5) / (df + 0.5));
      const lengthNorm = 1 - B + (B * document.terms.length) / averageLength;
      score += (idf * frequency * (K1 + 1)) / (frequency + K1 * lengthNorm);
    }
    // A price question is best answered by the sentence that states a price.
    if (score > 0 && asksForPrice && PRICE_MENTION.test(document.text)) score *= 1.5;
    return { text: document.text, passage: document.passage, score, order };
  });

  const best = Math.max(...scored.map((entry) => entry.score));
  if (best <= 0) return [];
  return scored
    .filter((entry) => entry.score > 0 && entry.score >= best * relativeFloor)
    .sort((left, right) => right.score - left.score || left.order - right.order)
    .slice(0, limit)
    .sort((left, right) => left.order - right.order)
    .map(({ text, passage, score }) => ({ text, passage, score }));
}

/** Stemmed words that ask about the catalogue as a whole rather than about one product. */
const CATALOGUE_TERMS = new Set(
  (
    "plan product price pric cost offer option tier subscription package buy purchase sell available " +
    "list catalog catalogue cheap cheapest expensive afford affordable sku licence license"
  ).split(" "),
);

/** "What plans do you offer?": every question word is about the catalogue in general. */
export function isCatalogueQuestion(question: string): boolean {
  const questionTerms = terms(question);
  return questionTerms.length > 0 && questionTerms.every((term) => CATALOGUE_TERMS.has(term));
}

/** The price lines of priced products, in source order: the answer to a catalogue question. */
export function catalogueSentences(passages: ReadonlyArray<Passage>, limit = 6): RankedSentence[] {
  const seen = new Set<string>();
  const sentences: RankedSentence[] = [];
  for (const passage of passages) {
    if (passage.priceLine === undefined || seen.has(passage.priceLine)) continue;
    seen.add(passage.priceLine);
    sentences.push({ text: `${passage.priceLine}.`, passage, score: 1 });
    if (sentences.length >= limit) break;
  }
  return sentences;
}
