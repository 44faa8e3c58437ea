import { isCurrencyCode } from "./price.ts";

/** A currency amount written in a text: "49.00 USD", "$49", "€1,299.50", "30 euros". */
export interface PriceMention {
  text: string;
  /** Canonical decimal, without grouping or trailing zeros: "1299.5", "49". */
  amount: string;
  /** ISO code, or null when the text does not say which dollar (or which currency) it means. */
  currency: string | null;
}

/** A price a tool returned: what an answer may quote. */
export interface KnownPrice {
  amount: string;
  currency: string | null;
}

const AMOUNT = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`;
const SYMBOLS: Readonly<Record<string, string | null>> = {
  $: null,
  US$: "USD",
  C$: "CAD",
  A$: "AUD",
  "€": "EUR",
  "£": "GBP",
  "¥": "JPY",
  "₹": "INR",
};
const WORDS: Readonly<Record<string, string | null>> = {
  dollar: null,
  dollars: null,
  bucks: null,
  euro: "EUR",
  euros: "EUR",
  pound: "GBP",
  pounds: "GBP",
};
const SYMBOL_PATTERN = String.raw`US\$|C\$|A\$|[$€£¥₹]`;
/** Tried in order; a later pattern never takes text an earlier one matched. */
const PATTERNS: RegExp[] = [
  // $49, € 1,299.00
  new RegExp(String.raw`(?<symbol>${SYMBOL_PATTERN})\s?(?<amount>${AMOUNT})(?![\d.,]*\d)`, "gu"),
  // 49.00 USD: codes are uppercase, or "10 try" and "5 all" would be Turkish lira and Albanian lek
  new RegExp(String.raw`(?<![\d.,])(?<amount>${AMOUNT})\s?(?<code>[A-Z]{3})\b`, "gu"),
  // 49 €
  new RegExp(String.raw`(?<![\d.,])(?<amount>${AMOUNT})\s?(?<symbol>[€£¥₹])`, "gu"),
  // 30 euros
  new RegExp(String.raw`(?<![\d.,])(?<amount>${AMOUNT})\s?(?<word>dollars?|euros?|pounds?|bucks)\b`, "giu"),
  // USD 49: last, so "49.00 USD 2 seats" reads as 49.00 USD, not USD 2
  new RegExp(String.raw`\b(?<code>[A-Z]{3})\s?(?<amount>${AMOUNT})(?![\d.,]*\d)`, "gu"),
];

/** "1,299.50" → "1299.5"; "49.00" → "49"; "007" → "7". */
export function canonicalAmount(text: string): string {
  let amount = text.replaceAll(",", "");
  if (amount.includes(".")) amount = amount.replace(/0+$/, "").replace(/\.$/, "");
  return amount.replace(/^0+(?=\d)/, "");
}

/** Every currency amount in a text, in order; a number with no currency marker is not a price. */
export function findPriceMentions(text: string): PriceMention[] {
  const found: Array<PriceMention & { start: number; end: number }> = [];
  for (const pattern of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const groups = match.groups ?? {};
      const amount = groups.amount;
      if (amount === undefined) continue;
      let currency: string | null;
      if (groups.code !== undefined) {
        if (!isCurrencyCode(groups.code)) continue;
        currency = groups.code;
      } else if (groups.symbol !== undefined) {
        currency = SYMBOLS[groups.symbol] ?? null;
      } else {
        currency = WORDS[(groups.word ?? "").toLowerCase()] ?? null;
      }
      const start = match.index;
      const end = start + match[0].length;
      if (found.some((other) => start < other.end && other.start < end)) continue;
      found.push({ text: match[0], amount: canonicalAmount(amount), currency, start, end });
    }
  }
  return found
    .sort((left, right) => left.start - right.start)
    .map(({ text: mention, amount, currency }) => ({ text: mention, amount, currency }));
}

/**
 * The prices in tool outputs: every `price` field (with its object's `currency`) and every amount
 * written in their texts, however deep.
 */
export function collectKnownPrices(output: unknown, into: KnownPrice[] = [], depth = 0): KnownPrice[] {
  if (depth > 8) return into;
  if (typeof output === "string") {
    for (const mention of findPriceMentions(output))
      into.push({ amount: mention.amount, currency: mention.currency });
  } else if (Array.isArray(output)) {
    for (const item of output) collectKnownPrices(item, into, depth + 1);
  } else if (typeof output === "object" && output !== null) {
    const record = output as Record<string, unknown>;
    const price = record.price;
    if (typeof price === "string" || typeof price === "number") {
      const currency = typeof record.currency === "string" ? record.currency : null;
      into.push({ amount: canonicalAmount(String(price)), currency });
    }
    for (const value of Object.values(record)) collectKnownPrices(value, into, depth + 1);
  }
  return into;
}

export function isKnownPrice(mention: PriceMention, known: readonly KnownPrice[]): boolean {
  return known.some(
    (price) =>
      price.amount === mention.amount &&
      (mention.currency === null || price.currency === null || price.currency === mention.currency),
  );
}
