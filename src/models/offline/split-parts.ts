import { splitSentences } from "./text-terms.ts";

/**
 * Words that open a new request. " and " only splits a clause when one of these follows,
 * so "salt and pepper" stays one part while "find X and summarise Y" becomes two.
 */
const CLAUSE_STARTERS = new Set(
  (
    "what what's how how's why when where who which whose is are was were can could would should do does did " +
    "tell explain describe find list show give summarise summarize compare contrast check get search look " +
    "write draft send ask research analyse analyze calculate recommend suggest provide create make book " +
    "schedule help please also i outline estimate review translate identify evaluate assess"
  ).split(" "),
);

const CLAUSE_BREAK = /\s*;\s*|,?\s+and\s+then\s+|,\s*then\s+|,\s*after\s+that,?\s+/iu;
const AND_BREAK = /,?\s+and\s+/iu;
const COMPARE = /\b(?:compare|comparing|contrast)\s+(.+)$/iu;
const DIFFERENCE = /\bdifferences?\s+between\s+(.+)$/iu;
const VERSUS = /^(.+?)\s+(?:vs\.?|versus)\s+(.+)$/iu;
const ITEM_SEPARATOR = /\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|with|to|vs\.?|versus|against|or)\s+/iu;
const ITEM_SUFFIX = /\s+(?:for|in|on|regarding|when|by|as|under|at|from|within|across|during)\s+.+$/iu;

/**
 * Splits a request into the parts a delegate can answer on its own: sentences first, then
 * "X and <verb> Y" / "X, then Y" clauses, then "compare X and Y" into one part per item.
 * At most `maxParts` come back; any overflow is merged into the last part so nothing is lost.
 */
export function splitParts(message: string, maxParts: number): string[] {
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const sentence of splitSentences(message)) {
    for (const clause of splitClauses(sentence)) {
      for (const part of expandComparison(clause)) {
        const cleaned = cleanPart(part);
        const key = cleaned.toLowerCase();
        if (cleaned.length === 0 || seen.has(key)) continue;
        seen.add(key);
        parts.push(cleaned);
      }
    }
  }
  const limit = Math.max(1, Math.floor(maxParts));
  if (parts.length <= limit) return parts;
  const overflow = parts.slice(limit - 1).map((part) => (/[.!?]$/u.test(part) ? part : `${part}.`));
  return [...parts.slice(0, limit - 1), overflow.join(" ")];
}

function splitClauses(sentence: string): string[] {
  const clauses: string[] = [];
  for (const piece of sentence.split(CLAUSE_BREAK)) {
    let current = "";
    for (const segment of piece.split(AND_BREAK)) {
      const firstWord = segment.trim().split(/\s+/u)[0]?.toLowerCase() ?? "";
      if (current.length > 0 && CLAUSE_STARTERS.has(firstWord)) {
        clauses.push(current);
        current = segment;
      } else {
        current = current.length > 0 ? `${current} and ${segment}` : segment;
      }
    }
    if (current.length > 0) clauses.push(current);
  }
  return clauses;
}

function expandComparison(clause: string): string[] {
  const text = clause.replace(/[?!.]+$/u, "").trim();
  const listed = COMPARE.exec(text)?.[1] ?? DIFFERENCE.exec(text)?.[1];
  if (listed !== undefined) return itemsWithSuffix(listed) ?? [clause];
  const versus = VERSUS.exec(text);
  if (versus?.[1] !== undefined && versus[2] !== undefined) {
    // Only what follows the last comma of the left side is the item: "Which is better, X vs Y".
    const left = versus[1].split(/[,:]/u).at(-1) ?? versus[1];
    return itemsWithSuffix(`${left} vs ${versus[2]}`) ?? [clause];
  }
  return [clause];
}

/** "X and Y for analytics" → ["X for analytics", "Y for analytics"]; undefined when fewer than two items. */
function itemsWithSuffix(listed: string): string[] | undefined {
  const items = listed
    .split(ITEM_SEPARATOR)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  if (items.length < 2) return undefined;
  const last = items.at(-1) ?? "";
  const suffix = ITEM_SUFFIX.exec(last)?.[0] ?? "";
  items[items.length - 1] = last.slice(0, last.length - suffix.length);
  return items.filter((item) => item.length > 0).map((item) => `${item}${suffix}`);
}

function cleanPart(part: string): string {
  const trimmed = part
    .replace(/^\s*(?:and then|after that|and|then|also|so)\b[\s,]*/iu, "")
    .replace(/[\s,;:]+$/u, "")
    .trim();
  if (!/[\p{L}\p{N}]/u.test(trimmed)) return "";
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
}
