/**
 * Function words and question scaffolding: they say nothing about the subject, so they
 * neither count as overlap nor appear in a restated subject.
 */
const STOP_WORDS = new Set(
  (
    "a about above after again against all also am an and any are as at be because been before being below " +
    "between both but by can could did do does doing done down during each else few for from further get " +
    "give had has have having he her here hers herself him himself his how i if in into is it its itself " +
    "just know let like me might more most much must my myself need no nor not now of off on once only or " +
    "other our ours ourselves out over own please same shall she should so some such tell than that the " +
    "their theirs them themselves then there these they this those through to too under until up us very " +
    "want was we were what when where which while who whom why will with would you your yours yourself " +
    "yourselves show explain describe thanks thank hi hello hey ok okay there's what's it's i'm i'd i've " +
    "don't doesn't can't let's"
  ).split(" "),
);

const WORD_PATTERN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word.toLowerCase().replace("’", "'"));
}

/** Light suffix stripping so "plans"/"plan" and "refunds"/"refunded" meet; never below 3 letters. */
export function stem(word: string): string {
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith("ed")) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us")) {
    return word.slice(0, -1);
  }
  return word;
}

/** Lowercased, stemmed content words of a text, in order, with repeats. */
export function terms(text: string): string[] {
  const result: string[] = [];
  for (const match of text.matchAll(WORD_PATTERN)) {
    const word = match[0].toLowerCase().replace("’", "'");
    if (STOP_WORDS.has(word)) continue;
    result.push(stem(word.replace(/'s$/, "")));
  }
  return result;
}

/** The content words of a text with their original spelling, e.g. "Pro plan" from "How much is the Pro plan?". */
export function contentWords(text: string): string[] {
  const result: string[] = [];
  for (const match of text.matchAll(WORD_PATTERN)) {
    if (!isStopWord(match[0])) result.push(match[0]);
  }
  return result;
}

/** Sentence boundaries: end punctuation followed by space, or a line break. Decimals like 49.00 stay whole. */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/u)
    .map((sentence) => sentence.replace(/\s+/g, " ").trim())
    .filter((sentence) => /[\p{L}\p{N}]/u.test(sentence));
}

/** The user's words with whitespace collapsed and end punctuation dropped. */
export function cleanText(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[\s.!?,;:]+$/u, "");
}

/** What the question is about, for restating it: content words, or the cleaned text if it has none. */
export function subjectOf(text: string): string {
  const words = contentWords(text);
  const subject = words.length > 0 ? words.join(" ") : cleanText(text);
  return subject.length > 120 ? `${subject.slice(0, 117)}...` : subject;
}
