import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSettings } from "../../src/config/settings.ts";
import { createKnowledgeAccount, pineconeSettingsFor } from "../support/knowledge-fixtures.ts";
import { type PineconeWireServer, startPineconeWireServer } from "../support/pinecone-wire-server.ts";
import { startTestServer, type TestServer } from "../support/test-server.ts";

const SLUG = "mover";
/** Each document has a word no other has, so a search for it proves that document is findable. */
const DOCUMENTS = [
  ["simple-research", "Billing", "The amber team owns billing and invoices."],
  ["simple-research", "Search", "The cobalt team owns search and ranking."],
  ["simple-research", "Mobile", "The crimson team owns the mobile apps."],
  ["digital-expert", "Storage", "The emerald team owns storage and backups."],
  ["digital-expert", "Network", "The violet team owns the network and DNS."],
] as const;

describe("moving an account's knowledge when its tier changes", () => {
  let server: TestServer;
  let wire: PineconeWireServer;
  let key: string;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    wire = await startPineconeWireServer();
    const base = loadSettings({ SWITCHBOARD_DATA_DIR: ":memory:" });
    server = await startTestServer("pglite", {
      knowledge: { ...base.knowledge, pinecone: pineconeSettingsFor(wire) },
    });
    key = await createKnowledgeAccount(server, SLUG, "budget");
    await server.request("POST", `/accounts/${SLUG}/agents`, {
      key,
      body: { type: "digital-expert", slug: "digital-expert" },
    });
    for (const [agent, title, content] of DOCUMENTS) {
      const response = await server.request("POST", `/accounts/${SLUG}/knowledge`, {
        key,
        body: { agent, documents: [{ title, content, source: `${title.toLowerCase()}.md` }] },
      });
      expect(response.status, response.text).toBe(201);
      ids.set(title, response.body.documents[0].id);
    }
  });
  afterAll(async () => {
    await server?.close();
    await wire?.close();
  });

  const changeTier = (tier: unknown, asKey = server.adminKey) =>
    server.request("PATCH", `/accounts/${SLUG}`, { key: asKey, body: { tier } });
  const backends = async () => {
    const byTitle: Record<string, string> = {};
    for (const agent of ["simple-research", "digital-expert"]) {
      const listed = await server.request("GET", `/accounts/${SLUG}/knowledge?agent=${agent}`, { key });
      for (const document of listed.body.documents) byTitle[document.title] = document.backend;
    }
    return byTitle;
  };
  /** Every document is found by its own word, whatever backend it is in at the moment. */
  const expectAllFindable = async () => {
    for (const [agent, title, content] of DOCUMENTS) {
      const word = content.split(" ")[1] ?? "";
      const response = await server.request("POST", `/accounts/${SLUG}/knowledge/search`, {
        key,
        body: { agent, query: `${word} team`, top_k: 1 },
      });
      expect(response.body.results[0]?.document_id, `${title} should be found by "${word}"`).toBe(
        ids.get(title),
      );
    }
  };
  const tableExists = async (instance: string) => {
    const [rows] = await server.app.database.execBatch(
      `select to_regclass('public."vectors_account_${SLUG}_${instance}"') is not null as present`,
    );
    return rows?.[0]?.present === true;
  };
  const namespaceSize = (index: string, instance: string) =>
    wire.indexes.get(index)?.namespaces.get(`account-${SLUG}_${instance}`)?.size ?? 0;

  it("only lets the platform admin change a tier, and only to a real tier", async () => {
    const byAccount = await changeTier("enterprise", key);
    expect(byAccount.status).toBe(403);
    expect(byAccount.body.error.code).toBe("FORBIDDEN");
    const unknown = await changeTier("platinum");
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe("VALIDATION_FAILED");
    expect(await backends()).toEqual(Object.fromEntries(DOCUMENTS.map(([, title]) => [title, "pgvector"])));
  });

  it("stops on a failed copy with every document still findable, and resumes where it stopped", async () => {
    const thirdId = ids.get("Mobile");
    wire.failWhen(
      (request) =>
        request.path === "/vectors/upsert" &&
        JSON.stringify(request.body).includes(`"document_id":"${thirdId}"`),
      503,
    );
    const failed = await changeTier("standard");
    expect(failed.status).toBe(502);
    expect(failed.body.error).toMatchObject({
      code: "KNOWLEDGE_MIGRATION_FAILED",
      details: {
        migration: {
          status: "failed",
          from_tier: "budget",
          to_tier: "standard",
          documents_total: 5,
          documents_moved: 2,
        },
      },
    });
    const progress = await server.request("GET", `/accounts/${SLUG}/knowledge/migration`, { key });
    expect(progress.body.migration).toMatchObject({
      status: "failed",
      documents_moved: 2,
      error: expect.stringContaining("Pinecone"),
    });
    expect((await server.request("GET", `/accounts/${SLUG}`, { key })).body.tier).toBe("standard");
    expect(await backends()).toEqual({
      Billing: "pinecone-shared",
      Search: "pinecone-shared",
      Mobile: "pgvector",
      Storage: "pgvector",
      Network: "pgvector",
    });
    await expectAllFindable();

    wire.failWhen(null);
    const resumed = await changeTier("standard");
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({
      slug: SLUG,
      tier: "standard",
      knowledge_migration: {
        id: failed.body.error.details.migration.id,
        status: "completed",
        documents_total: 5,
        documents_moved: 5,
      },
    });
    expect(new Set(Object.values(await backends()))).toEqual(new Set(["pinecone-shared"]));
    await expectAllFindable();
    expect(await tableExists("simple-research")).toBe(false);
    expect(await tableExists("digital-expert")).toBe(false);
    expect(namespaceSize("switchboard-shared", "simple-research")).toBe(3);
    expect(namespaceSize("switchboard-shared", "digital-expert")).toBe(2);
  });

  it("moves to a dedicated index for enterprise, and back to pgvector for budget, losing nothing", async () => {
    const enterprise = await changeTier("enterprise");
    expect(enterprise.body.knowledge_migration).toMatchObject({
      status: "completed",
      from_tier: "standard",
      documents_moved: 5,
    });
    expect(new Set(Object.values(await backends()))).toEqual(new Set(["pinecone-dedicated"]));
    expect(namespaceSize(`dedicated-${SLUG}`, "simple-research")).toBe(3);
    expect(namespaceSize("switchboard-shared", "simple-research")).toBe(0);
    await expectAllFindable();

    const budget = await changeTier("budget");
    expect(budget.body.knowledge_migration).toMatchObject({ status: "completed", documents_moved: 5 });
    expect(new Set(Object.values(await backends()))).toEqual(new Set(["pgvector"]));
    expect(wire.indexes.has(`dedicated-${SLUG}`)).toBe(false);
    expect(await tableExists("simple-research")).toBe(true);
    await expectAllFindable();

    const answer = await server.request("POST", `/accounts/${SLUG}/agents/simple-research/chat`, {
      key,
      body: { message: "Which team owns the mobile apps?" },
    });
    expect(answer.body.text).toContain("crimson team owns the mobile apps [1]");
  });

  it("answers a second tier change for the same account with 409 while the first is moving", async () => {
    wire.slowDown(150);
    try {
      const first = changeTier("standard");
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = await changeTier("professional");
      expect(second.status).toBe(409);
      expect(second.body.error).toMatchObject({
        code: "KNOWLEDGE_MIGRATION_IN_PROGRESS",
        details: { migration: { status: "running", to_tier: "standard" } },
      });
      expect((await first).body.knowledge_migration).toMatchObject({
        status: "completed",
        documents_moved: 5,
      });
    } finally {
      wire.slowDown(0);
    }
    await expectAllFindable();
    expect((await changeTier("budget")).body.knowledge_migration).toMatchObject({ status: "completed" });
  });

  it("changes nothing when the tier does not move the knowledge", async () => {
    const same = await changeTier("budget");
    expect(same.status).toBe(200);
    expect(same.body.knowledge_migration).toMatchObject({
      status: "completed",
      documents_total: 0,
      documents_moved: 0,
    });
    await expectAllFindable();
  });
});
