import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSettings } from "../../src/config/settings.ts";
import { accountSecrets } from "../../src/db/schema.ts";
import { withAccount } from "../../src/db/tenant-scope.ts";
import { BACKENDS, startTestServer, type TestServer } from "../support/test-server.ts";

const VALUE = `value-${randomBytes(12).toString("hex")}`;

for (const backend of BACKENDS) {
  describe(`account secrets on ${backend}`, () => {
    let server: TestServer;
    let otherKey: string;

    beforeAll(async () => {
      server = await startTestServer(backend, {
        secretsKey: loadSettings({ SWITCHBOARD_SECRETS_KEY: randomBytes(32).toString("base64") }).secretsKey,
      });
      const created = await server.request("POST", "/accounts", {
        key: server.adminKey,
        body: { slug: "initech", name: "Initech", tier: "budget" },
      });
      otherKey = created.body.api_key;
    });
    afterAll(async () => {
      await server?.close();
    });

    it("stores a secret write-only: names and dates come back, never the value", async () => {
      const stored = await server.request("PUT", "/accounts/demo/secrets/crm-token", {
        body: { value: VALUE },
      });
      expect(stored.status).toBe(201);
      expect(stored.body).toEqual({
        name: "crm-token",
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });

      const replaced = await server.request("PUT", "/accounts/demo/secrets/crm-token", {
        body: { value: `${VALUE}-2` },
      });
      expect(replaced.status).toBe(200);
      expect(replaced.body.created_at).toBe(stored.body.created_at);

      const listed = await server.request("GET", "/accounts/demo/secrets");
      expect(listed.status).toBe(200);
      expect(listed.body.secrets).toEqual([replaced.body]);
      expect(listed.text).not.toContain(VALUE);
      expect(stored.text + replaced.text).not.toContain(VALUE);
    });

    it("keeps only ciphertext in the database", async () => {
      const rows = await server.app.database.db.execute(
        sql`select name, ciphertext, iv, auth_tag from account_secrets where name = 'crm-token'`,
      );
      const text = JSON.stringify(rows);
      expect(text).toContain("crm-token");
      expect(text).not.toContain(VALUE);
    });

    it("is invisible to another account's database scope (row-level security)", async () => {
      const initech = await server.app.accounts.findBySlug("initech");
      if (!initech) throw new Error("initech is missing");
      const seen = await withAccount(server.app.database.db, initech.id, (transaction) =>
        transaction.select().from(accountSecrets),
      );
      expect(seen).toEqual([]);
    });

    it("keeps accounts apart", async () => {
      const fromOther = await server.request("GET", "/accounts/demo/secrets", { key: otherKey });
      expect(fromOther.status).toBe(404);
      const own = await server.request("GET", "/accounts/initech/secrets", { key: otherKey });
      expect(own.body.secrets).toEqual([]);
      const deleteOther = await server.request("DELETE", "/accounts/demo/secrets/crm-token", {
        key: otherKey,
      });
      expect(deleteOther.status).toBe(404);
      expect(deleteOther.body.error.code).toBe("ACCOUNT_NOT_FOUND");
    });

    it("deletes a secret, and a missing one is 404", async () => {
      const deleted = await server.request("DELETE", "/accounts/demo/secrets/crm-token");
      expect(deleted.status).toBe(204);
      expect((await server.request("GET", "/accounts/demo/secrets")).body.secrets).toEqual([]);
      const again = await server.request("DELETE", "/accounts/demo/secrets/crm-token");
      expect(again.status).toBe(404);
      expect(again.body.error.code).toBe("SECRET_NOT_FOUND");
    });

    it("validates names and values", async () => {
      const badName = await server.request("PUT", "/accounts/demo/secrets/bad%20name", {
        body: { value: "x" },
      });
      expect(badName.status).toBe(400);
      expect(badName.body.error.code).toBe("VALIDATION_FAILED");
      const empty = await server.request("PUT", "/accounts/demo/secrets/ok-name", { body: { value: "" } });
      expect(empty.status).toBe(400);
      const extra = await server.request("PUT", "/accounts/demo/secrets/ok-name", {
        body: { value: "x", note: "y" },
      });
      expect(extra.status).toBe(400);
    });
  });
}

describe("account secrets without SWITCHBOARD_SECRETS_KEY", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer("pglite", { secretsKey: null });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("refuses to store a secret with a clear code, and still lists and deletes", async () => {
    const response = await server.request("PUT", "/accounts/demo/secrets/crm-token", {
      body: { value: VALUE },
    });
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe("SECRETS_KEY_NOT_CONFIGURED");
    expect(response.body.error.message).toContain("SWITCHBOARD_SECRETS_KEY");
    expect((await server.request("GET", "/accounts/demo/secrets")).body).toEqual({ secrets: [] });
  });
});
