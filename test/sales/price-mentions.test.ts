import { describe, expect, it } from "vitest";
import { normalizePrice } from "../../src/sales/price.ts";
import { collectKnownPrices, findPriceMentions, isKnownPrice } from "../../src/sales/price-mentions.ts";

describe("prices", () => {
  it("normalizes a price to exact two-decimal text, refusing what would need rounding", () => {
    expect(normalizePrice(49)).toEqual({ ok: true, price: "49.00" });
    expect(normalizePrice("49.5")).toEqual({ ok: true, price: "49.50" });
    expect(normalizePrice(0.1)).toEqual({ ok: true, price: "0.10" });
    expect(normalizePrice("007.10")).toEqual({ ok: true, price: "7.10" });
    expect(normalizePrice(49.999)).toMatchObject({ ok: false, reason: "must have at most 2 decimals" });
    expect(normalizePrice(-1)).toMatchObject({ ok: false, reason: "must not be negative" });
    expect(normalizePrice(1e21)).toMatchObject({ ok: false });
    expect(normalizePrice("12345678901")).toMatchObject({ ok: false });
    expect(normalizePrice("forty")).toMatchObject({ ok: false });
  });

  it("finds currency amounts in prose, and not other numbers", () => {
    const mentions = findPriceMentions(
      "Pro plan — 49.00 USD [1]. Or $39, € 1,299.50, USD 12, 30 euros. Up to 25 users, 99.9% uptime, SKU 42.",
    );
    expect(mentions).toEqual([
      { text: "49.00 USD", amount: "49", currency: "USD" },
      { text: "$39", amount: "39", currency: null },
      { text: "€ 1,299.50", amount: "1299.5", currency: "EUR" },
      { text: "USD 12", amount: "12", currency: "USD" },
      { text: "30 euros", amount: "30", currency: "EUR" },
    ]);
    expect(findPriceMentions("49.00 USD 2 seats").map((mention) => mention.text)).toEqual(["49.00 USD"]);
    expect(findPriceMentions("10 try, 5 all")).toEqual([]);
  });

  it("accepts a mention only when a tool result gave that amount in that currency", () => {
    const known = collectKnownPrices({
      results: [{ sku: "pro", price: "49.00", currency: "USD", description: "Extra seats cost 5 USD each." }],
    });
    const check = (text: string) => findPriceMentions(text).map((mention) => isKnownPrice(mention, known));
    expect(check("49 USD, $49.00, 5 USD")).toEqual([true, true, true]);
    expect(check("49.00 EUR, 48.99 USD, $50")).toEqual([false, false, false]);
  });
});
