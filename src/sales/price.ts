/** The largest price numeric(12,2) holds: ten integer digits. */
const MAX_INTEGER_DIGITS = 10;
const PRICE_TEXT = /^(\d+)(?:\.(\d{1,2}))?$/;

/**
 * Circulating ISO 4217 codes, as the runtime's ICU knows them. A runtime without ICU data lists
 * none; then any three uppercase letters pass and only the shape is checked.
 */
const ISO_CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf("currency"));

export function isCurrencyCode(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  return ISO_CURRENCIES.size === 0 || ISO_CURRENCIES.has(code);
}

/**
 * A price as exact decimal text with two decimals ("49" → "49.00", 49.5 → "49.50"), or why it is
 * not one. Numbers are read through their shortest decimal form, so 0.1 stays 0.1 and 49.999 is
 * refused rather than rounded: a price is never silently changed.
 */
export function normalizePrice(
  value: number | string,
): { ok: true; price: string } | { ok: false; reason: string } {
  if (typeof value === "number" && !Number.isFinite(value))
    return { ok: false, reason: "must be a finite number" };
  const text = typeof value === "number" ? String(value) : value.trim();
  if (text.startsWith("-")) return { ok: false, reason: "must not be negative" };
  if (/e/i.test(text)) return { ok: false, reason: "must be written as a plain decimal" };
  const match = PRICE_TEXT.exec(text);
  if (!match) {
    return /^\d+\.\d{3,}$/.test(text)
      ? { ok: false, reason: "must have at most 2 decimals" }
      : { ok: false, reason: "must be a decimal number such as 49 or 49.90" };
  }
  const integer = (match[1] ?? "0").replace(/^0+(?=\d)/, "");
  if (integer.length > MAX_INTEGER_DIGITS) return { ok: false, reason: "must be below 10000000000" };
  return { ok: true, price: `${integer}.${(match[2] ?? "").padEnd(2, "0")}` };
}

/** Prices read back from the database, whatever the driver made of numeric: always "49.00". */
export function formatStoredPrice(value: unknown): string {
  const normalized = normalizePrice(typeof value === "number" ? value : String(value));
  return normalized.ok ? normalized.price : String(value);
}
