import { expect } from "vitest";
import type { TestServer } from "../../support/test-server.ts";

/** A small catalog: the Enterprise plan mentions Pro, so a sloppy search would quote two prices. */
export const SHOP_CATALOG = [
  {
    sku: "starter",
    name: "Starter plan",
    description: "For freelancers: one user and basic reports.",
    price: 19,
    currency: "USD",
    attributes: { billing: "monthly", users: 1 },
  },
  {
    sku: "pro",
    name: "Pro plan",
    description: "For growing teams: automations and integrations for up to 25 users.",
    price: "49.00",
    currency: "USD",
    attributes: { billing: "monthly", users: 25, features: ["automations", "integrations"] },
  },
  {
    sku: "enterprise",
    name: "Enterprise plan",
    description: "Everything in Pro, plus single sign-on and a dedicated success manager.",
    price: 249.5,
    currency: "USD",
    attributes: { billing: "monthly", users: "unlimited", features: ["single sign-on"] },
  },
];

/** Every "<amount> <CODE>" or "$<amount>" in a text: the prices an answer quotes. */
export function quotedPrices(text: string): string[] {
  return [...text.matchAll(/\d[\d,]*(?:\.\d+)?\s?[A-Z]{3}\b|[$€£]\s?\d[\d,]*(?:\.\d+)?/g)].map(
    (match) => match[0],
  );
}

/** A new account (its own tenant) with one sales instance; returns its API key. */
export async function createSalesAccount(
  server: TestServer,
  slug: string,
  options: { agent?: string; catalog?: unknown[]; tier?: string } = {},
): Promise<string> {
  const created = await server.request("POST", "/accounts", {
    key: server.adminKey,
    body: { slug, name: slug, tier: options.tier ?? "standard" },
  });
  expect(created.status, created.text).toBe(201);
  const key: string = created.body.api_key;
  const agent = await server.request("POST", `/accounts/${slug}/agents`, {
    key,
    body: { type: "sales", slug: options.agent ?? `${slug}-sales` },
  });
  expect(agent.status, agent.text).toBe(201);
  if (options.catalog) {
    const written = await server.request("POST", `/accounts/${slug}/products`, {
      key,
      body: { products: options.catalog },
    });
    expect(written.status, written.text).toBe(201);
  }
  return key;
}
