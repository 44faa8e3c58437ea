const STOP_WORDS = new Set(
  (
    "about above after again against all also and any are because been before being between both but can " +
    "could did does doing down during each few for from further had has have having her here hers him his " +
    "how into its itself just more most much must not now off once only other our ours out over own same " +
    "she should some such than that the their theirs them then there these they this those through too " +
    "under until very was were what when where which while who whom why will with would you your yours " +
    "please tell know want need like best good way ways make give help explain question"
  ).split(" "),
);

/** Lowercased content words, lightly stemmed, so "encrypting" meets "encryption". */
export function contentTerms(text: string): Set<string> {
  const terms = new Set<string>();
  for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (word.length < 4 || STOP_WORDS.has(word)) continue;
    terms.add(word.replace(/(ations?|ing|ions?|ed|es|s|ly|ity|ies)$/u, "").slice(0, 7));
  }
  return terms;
}

/**
 * Whether a question belongs to the expert's domain: it must share substance with what the
 * corpus returned for it, or with the persona's own description of its domain.
 */
export function isWithinDomain(question: string, evidence: readonly string[]): boolean {
  const asked = contentTerms(question);
  if (asked.size === 0) return false;
  for (const text of evidence) {
    for (const term of contentTerms(text)) if (asked.has(term)) return true;
  }
  return false;
}
