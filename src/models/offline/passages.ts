import type { LanguageModelV3ToolResultOutput } from "@ai-sdk/provider";
import { isRecord } from "./fill-arguments.ts";

/** A piece of text from a tool result, with what to cite it as. */
export type Passage = {
  text: string;
  label: string;
  source: string | undefined;
  /** "Pro plan — 49.00 USD" when the passage is a priced product. */
  priceLine?: string;
};

export type CollectedPassages = {
  passages: Passage[];
  /** True when the output had the shape of search results (a list, or passage fields). */
  isResultList: boolean;
};

const TEXT_FIELDS = [
  "content",
  "text",
  "text_response",
  "description",
  "snippet",
  "summary",
  "excerpt",
  "body",
  "answer",
];
const LABEL_FIELDS = ["title", "name", "source", "url", "sku"];
const SOURCE_FIELDS = ["source", "url", "uri", "path", "sku"];
const PRICE_FIELDS = ["price", "unit_price", "amount"];
const CURRENCY_FIELDS = ["currency", "currency_code"];
const MAX_DEPTH = 6;
const MAX_PASSAGES = 200;

/**
 * Walks any tool output generically, so tools only need conventional field names:
 * `content`/`text`/`description`/`snippet` for the passage, `title`/`name`/`source`/`url`/`sku`
 * for the citation, and `price` + `currency` for products (kept verbatim: "Pro plan — 49.00 USD").
 */
export function collectPassages(
  output: LanguageModelV3ToolResultOutput,
  toolName: string,
): CollectedPassages {
  const collected: CollectedPassages = { passages: [], isResultList: false };
  switch (output.type) {
    case "text":
      walkString(output.value, toolName, collected);
      break;
    case "json":
      walk(output.value, toolName, collected, 0);
      break;
    case "content":
      for (const item of output.value) {
        if (item.type === "text") walkString(item.text, toolName, collected);
      }
      break;
    default:
      break;
  }
  return collected;
}

function walkString(value: string, label: string, collected: CollectedPassages): void {
  const trimmed = value.trim();
  if (/^[[{]/u.test(trimmed)) {
    try {
      walk(JSON.parse(trimmed), label, collected, 0);
      return;
    } catch {
      // Not JSON after all: treat it as prose.
    }
  }
  if (trimmed.length > 0) addPassage(collected, { text: trimmed, label, source: undefined });
}

function walk(value: unknown, inheritedLabel: string, collected: CollectedPassages, depth: number): void {
  if (depth > MAX_DEPTH || collected.passages.length >= MAX_PASSAGES) return;
  if (typeof value === "string") {
    // Strings only count as passages inside lists: a bare status string is not a finding.
    if (depth > 0 && value.trim().length > 0) {
      addPassage(collected, { text: value.trim(), label: inheritedLabel, source: undefined });
    }
    return;
  }
  if (Array.isArray(value)) {
    collected.isResultList = true;
    for (const item of value) walk(item, inheritedLabel, collected, depth + 1);
    return;
  }
  if (!isRecord(value)) return;

  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const label = firstString(value, LABEL_FIELDS) ?? firstString(metadata, LABEL_FIELDS) ?? inheritedLabel;
  const source = [firstString(value, SOURCE_FIELDS), firstString(metadata, SOURCE_FIELDS)].find(
    (candidate) => candidate !== undefined && candidate !== label,
  );
  const body = firstString(value, TEXT_FIELDS);
  const priceLine = readPriceLine(value, label);
  const text = [priceLine === undefined ? undefined : `${priceLine}.`, body].filter(Boolean).join(" ");
  if (text.length > 0) {
    collected.isResultList = true;
    addPassage(
      collected,
      priceLine === undefined ? { text, label, source } : { text, label, source, priceLine },
    );
  }
  for (const [key, child] of Object.entries(value)) {
    if (key === "metadata" || typeof child !== "object" || child === null) continue;
    // Next to a passage, a list of strings is tags or keywords, not more findings.
    if (text.length > 0 && Array.isArray(child) && child.every((item) => typeof item !== "object")) continue;
    walk(child, label, collected, depth + 1);
  }
}

function readPriceLine(value: Record<string, unknown>, label: string): string | undefined {
  const price = PRICE_FIELDS.map((field) => value[field]).find(
    (candidate) =>
      typeof candidate === "number" || (typeof candidate === "string" && candidate.trim() !== ""),
  );
  if (price === undefined) return undefined;
  const currency = firstString(value, CURRENCY_FIELDS);
  const name = firstString(value, ["name", "title", "sku"]) ?? label;
  return `${name} — ${String(price)}${currency === undefined ? "" : ` ${currency}`}`;
}

function firstString(value: Record<string, unknown>, fields: ReadonlyArray<string>): string | undefined {
  for (const field of fields) {
    const candidate = value[field];
    if (typeof candidate === "string" && candidate.trim().length > 0) return candidate.trim();
  }
  return undefined;
}

function addPassage(collected: CollectedPassages, passage: Passage): void {
  if (collected.passages.length < MAX_PASSAGES) collected.passages.push(passage);
}
