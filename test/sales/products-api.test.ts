import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresKnowledgeSkipReason } from "../support/pgvector-support.ts";
import { BACKENDS, startTestServer, type TestServer } from "../support/test-server.ts";
import { createSalesAccount, SHOP_CATALOG } from "./support/sales-fixtures.ts";

const knowledgeSkip = await postgresKnowledgeSkipReason();

describe.each(BACKENDS)("product catalog API on %s", (backend) => {
  let server: TestServer;
  let acmeKey: string;
  let rivalKey: string;
  // Knowledge needs pgvector; on a PostgreSQL without it, indexing reports an error per agent.
  const knowledgeWorks = backend === "pglite" || knowledgeSkip === null;

  beforeAll(async () => {
    server = await startTestServer(backend);
    acmeKey = await createSalesAccount(server, "acme", { agent: "acme-sales" });
    rivalKey = await createSalesAccount(server, "rival");
  });
  afterAll(async () => {
    await server?.close();
  });

  const acme = (method: string, path: string, body?: unknown) =>
    server.request(method, `/accounts/acme${path}`, {
      key: acmeKey,
      ...(body === undefined ? {} : { body }),
    });

  it("creates products by SKU with exact two-decimal prices, lists them cheapest first, reads one", async () => {
    const written = await acme("POST", "/products", { products: SHOP_CATALOG });
    expect(written.status).toBe(201);
    expect(
      written.body.products.map((product: { sku: string; price: string; status: string }) => product),
    ).toEqual([
      expect.objectContaining({ sku: "starter", price: "19.00", currency: "USD", status: "created" }),
      expect.objectContaining({ sku: "pro", price: "49.00", status: "created" }),
      expect.objectContaining({ sku: "enterprise", price: "249.50", status: "created" }),
    ]);

    const listed = await acme("GET", "/products");
    expect(listed.status).toBe(200);
    expect(listed.body.products.map((product: { sku: string }) => product.sku)).toEqual([
      "starter",
      "pro",
      "enterprise",
    ]);

    const one = await acme("GET", "/products/pro");
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      sku: "pro",
      name: "Pro plan",
      price: "49.00",
      currency: "USD",
      attributes: { billing: "monthly", users: 25, features: ["automations", "integrations"] },
    });
  });

  it("updates a changed product and leaves an identical one untouched", async () => {
    const before = (await acme("GET", "/products/starter")).body;
    const response = await acme("POST", "/products", {
      products: [
        { ...SHOP_CATALOG[0] },
        { ...SHOP_CATALOG[1], price: "59.9", description: "Now with advanced automations." },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.body.products).toEqual([
      expect.objectContaining({ sku: "starter", status: "unchanged", updated_at: before.updated_at }),
      expect.objectContaining({ sku: "pro", status: "updated", price: "59.90" }),
    ]);
    await acme("POST", "/products", { products: [SHOP_CATALOG[1]] });
    expect((await acme("GET", "/products/pro")).body.price).toBe("49.00");
  });

  it("searches by name, SKU or attribute, lists the whole catalog for general words, and finds nothing for unknown names", async () => {
    const skus = async (query: string) =>
      (await acme("GET", `/products?q=${encodeURIComponent(query)}`)).body.products.map(
        (product: { sku: string }) => product.sku,
      );
    expect(await skus("pro plan")).toEqual(["pro"]);
    expect(await skus("enterprise")).toEqual(["enterprise"]);
    expect(await skus("single sign-on")).toEqual(["enterprise"]);
    expect(await skus("what plans do you offer")).toEqual(["starter", "pro", "enterprise"]);
    expect(await skus("hyperdrive plan")).toEqual([]);
  });

  const invalid: Array<[string, unknown, string]> = [
    ["a SKU with spaces", { sku: "bad sku", name: "X", price: 1, currency: "USD" }, "body.products.0.sku"],
    [
      "a SKU over 64 characters",
      { sku: "x".repeat(65), name: "X", price: 1, currency: "USD" },
      "body.products.0.sku",
    ],
    ["a negative price", { sku: "neg", name: "X", price: -1, currency: "USD" }, "body.products.0.price"],
    ["three decimals", { sku: "dec", name: "X", price: 1.999, currency: "USD" }, "body.products.0.price"],
    [
      "three decimals as text",
      { sku: "dec", name: "X", price: "1.999", currency: "USD" },
      "body.products.0.price",
    ],
    [
      "a lowercase currency",
      { sku: "cur", name: "X", price: 1, currency: "usd" },
      "body.products.0.currency",
    ],
    [
      "a currency that is not ISO 4217",
      { sku: "cur", name: "X", price: 1, currency: "XYZ" },
      "body.products.0.currency",
    ],
    [
      "a two-letter currency",
      { sku: "cur", name: "X", price: 1, currency: "US" },
      "body.products.0.currency",
    ],
    [
      "an unknown field",
      { sku: "odd", name: "X", price: 1, currency: "USD", colour: "red" },
      "body.products.0",
    ],
    ["a missing name", { sku: "anon", price: 1, currency: "USD" }, "body.products.0.name"],
  ];
  it.each(invalid)(
    "refuses %s with 400 VALIDATION_FAILED naming the field, storing nothing",
    async (_label, product, path) => {
      const response = await acme("POST", "/products", { products: [SHOP_CATALOG[0], product] });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe("VALIDATION_FAILED");
      const paths = response.body.error.details.issues.map((issue: { path: string }) => issue.path);
      expect(paths).toContain(path.replace("products.0", "products.1"));
      expect((await acme("GET", "/products")).body.products).toHaveLength(3);
    },
  );

  it("refuses empty, oversized and duplicate batches and unknown top-level fields", async () => {
    const product = (sku: string) => ({ sku, name: sku, price: 1, currency: "USD" });
    const bodies = [
      { products: [] },
      { products: Array.from({ length: 501 }, (_unused, index) => product(`sku-${index}`)) },
      { products: [product("twice"), product("twice")] },
      { products: [product("fine")], replace: true },
    ];
    for (const body of bodies) {
      const response = await acme("POST", "/products", body);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe("VALIDATION_FAILED");
    }
    expect((await acme("GET", "/products")).body.products).toHaveLength(3);
  });

  it("deletes a product; afterwards it is 404 PRODUCT_NOT_FOUND", async () => {
    await acme("POST", "/products", {
      products: [{ sku: "temp", name: "Temporary", price: 5, currency: "EUR" }],
    });
    const deleted = await acme("DELETE", "/products/temp");
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ sku: "temp", price: "5.00", currency: "EUR" });
    for (const method of ["GET", "DELETE"]) {
      const again = await acme(method, "/products/temp");
      expect(again.status).toBe(404);
      expect(again.body.error.code).toBe("PRODUCT_NOT_FOUND");
    }
    expect((await acme("GET", "/products/bad%20sku")).status).toBe(400);
  });

  it("keeps catalogs apart: another account's key gets 404 and its own catalog is empty", async () => {
    for (const [method, path, body] of [
      ["GET", "/accounts/acme/products", undefined],
      ["GET", "/accounts/acme/products/pro", undefined],
      ["DELETE", "/accounts/acme/products/pro", undefined],
      ["POST", "/accounts/acme/products", { products: [SHOP_CATALOG[0]] }],
      ["GET", "/accounts/acme/leads", undefined],
    ] as const) {
      const response = await server.request(method, path, { key: rivalKey, ...(body ? { body } : {}) });
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe("ACCOUNT_NOT_FOUND");
    }
    expect(
      (await server.request("GET", "/accounts/rival/products", { key: rivalKey })).body.products,
    ).toEqual([]);
    const theirs = await server.request("GET", "/accounts/rival/products/pro", { key: rivalKey });
    expect(theirs.body.error.code).toBe("PRODUCT_NOT_FOUND");
    expect((await acme("GET", "/products/pro")).status).toBe(200);
    expect((await server.request("GET", "/accounts/acme/products", { key: null })).status).toBe(401);
  });

  it.skipIf(!knowledgeWorks)(
    "mirrors products into the sales agent's knowledge base: idempotent, re-indexed on change, removed on delete",
    async () => {
      const sources = async () =>
        (await acme("GET", "/knowledge?agent=acme-sales")).body.documents
          .map((document: { source: string }) => document.source)
          .sort();
      expect(await sources()).toEqual(["product:enterprise", "product:pro", "product:starter"]);

      const again = await acme("POST", "/products", { products: SHOP_CATALOG });
      expect(again.body.knowledge).toEqual([{ agent: "acme-sales", indexed: 0, unchanged: 3, removed: 0 }]);

      const changed = await acme("POST", "/products", {
        products: [{ ...SHOP_CATALOG[1], description: "Unlimited automations for growing teams." }],
      });
      expect(changed.body.knowledge).toEqual([{ agent: "acme-sales", indexed: 1, unchanged: 0, removed: 0 }]);
      const found = await acme("POST", "/knowledge/search", {
        agent: "acme-sales",
        query: "unlimited automations",
      });
      expect(found.body.results[0]).toMatchObject({ title: "Pro plan", source: "product:pro" });
      expect(found.body.results[0].content).toContain("49.00 USD");

      await acme("POST", "/products", {
        products: [{ sku: "gone", name: "Gone soon", price: 1, currency: "USD" }],
      });
      expect(await sources()).toContain("product:gone");
      const deleted = await acme("DELETE", "/products/gone");
      expect(deleted.body.knowledge).toEqual([{ agent: "acme-sales", indexed: 0, unchanged: 0, removed: 1 }]);
      expect(await sources()).not.toContain("product:gone");
      await acme("POST", "/products", { products: [SHOP_CATALOG[1]] });
    },
  );

  it("seeds the demo account's catalog on first start", async () => {
    const demo = await server.request("GET", "/accounts/demo/products");
    expect(demo.status).toBe(200);
    const pro = demo.body.products.find((product: { sku: string }) => product.sku === "pro");
    expect(pro).toMatchObject({ name: "Pro plan", price: "49.00", currency: "USD" });
    expect(demo.body.products.length).toBeGreaterThanOrEqual(4);
  });
});
