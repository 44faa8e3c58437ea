import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/query-rows.ts";
import { BACKENDS, startTestServer, type TestServer } from "../support/test-server.ts";

describe.each(BACKENDS)("accounts API on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("creates an account with a one-time API key that reaches only that account", async () => {
    const created = await server.request("POST", "/accounts", {
      key: server.adminKey,
      body: { slug: "acme", name: "Acme Inc", tier: "standard" },
    });
    expect(created.status).toBe(201);
    expect(created.body.account).toMatchObject({
      slug: "acme",
      name: "Acme Inc",
      tier: "standard",
      status: "active",
    });
    expect(created.body.api_key).toMatch(/^sb_[A-Za-z0-9_-]{40,}$/);

    const own = await server.request("GET", "/accounts/acme", { key: created.body.api_key });
    expect(own.status).toBe(200);
    expect(own.body.limits.max_instances_per_type).toBe(3);
    expect(own.body.usage.instances.total).toBe(0);
    expect(JSON.stringify(own.body)).not.toContain(created.body.api_key);

    // The key is stored hashed: the plaintext appears nowhere in the database.
    const rows = await queryRows(server.app.database.db, sql`select key_hash, prefix from api_keys`);
    expect(JSON.stringify(rows)).not.toContain(created.body.api_key);
  });

  it("shows the seeded demo account with one active instance of each type", async () => {
    const response = await server.request("GET", "/accounts/demo");
    expect(response.status).toBe(200);
    expect(response.body.usage.instances.by_type).toEqual({
      "simple-chat": 1,
      sales: 1,
      "simple-research": 1,
      "deep-research": 1,
      "digital-expert": 1,
    });
  });

  it("lists accounts for the admin only", async () => {
    const listed = await server.request("GET", "/accounts", { key: server.adminKey });
    expect(listed.status).toBe(200);
    expect(listed.body.accounts.map((account: { slug: string }) => account.slug)).toContain("demo");
    const asAccount = await server.request("GET", "/accounts");
    expect(asAccount.status).toBe(403);
    expect(asAccount.body.error.code).toBe("FORBIDDEN");
  });

  it("refuses account creation without the admin key", async () => {
    const body = { slug: "sneaky", name: "Sneaky", tier: "budget" };
    const withAccountKey = await server.request("POST", "/accounts", { body });
    expect(withAccountKey.status).toBe(403);
    const anonymous = await server.request("POST", "/accounts", { key: null, body });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe("UNAUTHORIZED");
    const wrongKey = await server.request("POST", "/accounts", { key: "sb_not-a-real-key", body });
    expect(wrongKey.status).toBe(401);
  });

  it("rejects a duplicate slug with a conflict", async () => {
    const body = { slug: "twice", name: "Twice", tier: "budget" };
    expect((await server.request("POST", "/accounts", { key: server.adminKey, body })).status).toBe(201);
    const again = await server.request("POST", "/accounts", { key: server.adminKey, body });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("ACCOUNT_SLUG_TAKEN");
  });

  const badBodies: Array<[string, unknown, string]> = [
    ["an unknown tier", { slug: "x-tier", name: "X", tier: "platinum" }, "body.tier"],
    ["a bad slug", { slug: "Not A Slug!", name: "X", tier: "budget" }, "body.slug"],
    ["a one-letter slug", { slug: "x", name: "X", tier: "budget" }, "body.slug"],
    ["a wrong type", { slug: "typed", name: 42, tier: "budget" }, "body.name"],
    ["an unknown field", { slug: "extra", name: "X", tier: "budget", owner: "me" }, "body"],
    ["a missing field", { slug: "missing", tier: "budget" }, "body.name"],
    ["an array body", [1, 2, 3], "body"],
  ];
  it.each(badBodies)("answers 400 VALIDATION_FAILED for %s", async (_label, body, path) => {
    const response = await server.request("POST", "/accounts", { key: server.adminKey, body });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("VALIDATION_FAILED");
    expect(response.body.error.details.issues.map((issue: { path: string }) => issue.path)).toContain(path);
  });

  it("answers malformed JSON, oversized bodies and wrong media types with 4xx codes", async () => {
    const malformed = await server.request("POST", "/accounts", {
      key: server.adminKey,
      rawBody: '{"slug": "broken",',
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("INVALID_JSON");

    const oversized = await server.request("POST", "/accounts", {
      key: server.adminKey,
      body: { slug: "big", name: "x".repeat(2 * 1024 * 1024), tier: "budget" },
    });
    expect(oversized.status).toBe(413);
    expect(oversized.body.error.code).toBe("PAYLOAD_TOO_LARGE");

    const wrongType = await server.request("POST", "/accounts", {
      key: server.adminKey,
      rawBody: "slug=acme",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("answers unknown routes and bad path slugs without a 5xx", async () => {
    const unknown = await server.request("GET", "/nope");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("ROUTE_NOT_FOUND");
    const badSlug = await server.request("GET", "/accounts/BAD_SLUG");
    expect(badSlug.status).toBe(400);
    expect(badSlug.body.error.code).toBe("VALIDATION_FAILED");
  });

  it("serves health, readiness and the OpenAPI reference without a key", async () => {
    expect((await server.request("GET", "/healthz", { key: null })).body).toEqual({ status: "ok" });
    const ready = await server.request("GET", "/readyz", { key: null });
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: "ready", database: backend });
    const spec = await server.request("GET", "/docs/openapi.json", { key: null });
    expect(spec.status).toBe(200);
    expect(Object.keys(spec.body.paths)).toContain("/accounts/{account}/agents/{agent}/config");
    const page = await server.request("GET", "/docs/", { key: null });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
  });
});
