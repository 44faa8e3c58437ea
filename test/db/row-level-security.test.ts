import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/query-rows.ts";
import { ACCOUNT_SCOPED_TABLES, agentInstances, conversations, messages } from "../../src/db/schema.ts";
import { APP_ROLE, withAccount } from "../../src/db/tenant-scope.ts";
import { BACKENDS, startTestServer, type TestServer } from "../support/test-server.ts";

describe.each(BACKENDS)("row-level security on %s", (backend) => {
  let server: TestServer;
  let demoId: string;
  let otherId: string;

  beforeAll(async () => {
    server = await startTestServer(backend);
    demoId = (await server.app.accounts.getBySlug("demo")).id;
    const created = await server.request("POST", "/accounts", {
      key: server.adminKey,
      body: { slug: "rls-other", name: "Other", tier: "standard" },
    });
    otherId = created.body.account.id;
    await server.request("POST", "/accounts/rls-other/agents", {
      key: created.body.api_key,
      body: { type: "sales", slug: "their-sales" },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("forces RLS with a policy on every account table", async () => {
    const rows = await queryRows(
      server.app.database.db,
      sql`
      select relname, relrowsecurity, relforcerowsecurity from pg_class
      where relname in (${sql.join(
        ACCOUNT_SCOPED_TABLES.map((table) => sql`${table}`),
        sql`, `,
      )})`,
    );
    expect(rows).toHaveLength(ACCOUNT_SCOPED_TABLES.length);
    for (const row of rows) {
      expect(row).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
    }
  });

  it("shows nothing to the app role when no account is set", async () => {
    const rows = await server.app.database.db.transaction(async (transaction) => {
      await transaction.execute(sql`select set_config('role', ${APP_ROLE}, true)`);
      const instances = await transaction.select().from(agentInstances);
      const [role] = await queryRows(transaction, sql`select current_user as role`);
      return { instances, role };
    });
    expect(rows.role).toEqual({ role: APP_ROLE });
    expect(rows.instances).toEqual([]);
  });

  it("sees only the scoped account's rows, even without a WHERE clause", async () => {
    const visible = await withAccount(server.app.database.db, demoId, (transaction) =>
      transaction.select({ accountId: agentInstances.accountId }).from(agentInstances),
    );
    expect(visible.length).toBeGreaterThan(0);
    expect(new Set(visible.map((row) => row.accountId))).toEqual(new Set([demoId]));
  });

  it("refuses to write a row for another account", async () => {
    const attempt = withAccount(server.app.database.db, demoId, (transaction) =>
      transaction.insert(conversations).values({ accountId: otherId, title: "smuggled" }),
    );
    await expect(attempt).rejects.toThrow();
    const [counted] = await withAccount(server.app.database.db, otherId, (transaction) =>
      transaction.select({ count: sql<number>`count(*)::int` }).from(conversations),
    );
    expect(counted?.count).toBe(0);
  });

  it("cannot update or delete another account's rows", async () => {
    const updated = await withAccount(server.app.database.db, demoId, (transaction) =>
      transaction
        .update(agentInstances)
        .set({ name: "hijacked" })
        .where(eq(agentInstances.accountId, otherId))
        .returning(),
    );
    expect(updated).toEqual([]);
    const deleted = await withAccount(server.app.database.db, demoId, (transaction) =>
      transaction.delete(agentInstances).where(eq(agentInstances.accountId, otherId)).returning(),
    );
    expect(deleted).toEqual([]);
    const theirs = await withAccount(server.app.database.db, otherId, (transaction) =>
      transaction.select().from(agentInstances),
    );
    expect(theirs.map((row) => row.name)).toEqual(["their-sales"]);
  });

  it("keeps the account setting inside its transaction", async () => {
    await withAccount(server.app.database.db, demoId, async (transaction) => {
      await transaction.select().from(messages);
    });
    const [leaked] = await queryRows(
      server.app.database.db,
      sql`select current_setting('app.account_id', true) as account, current_user as role`,
    );
    expect(leaked?.account ?? "").toBe("");
    expect(leaked?.role).not.toBe(APP_ROLE);
  });

  it("refuses to open a scope without an account id", async () => {
    await expect(withAccount(server.app.database.db, "", async () => null)).rejects.toThrow(TypeError);
  });
});
