import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKnowledgeAccount, sampleDocuments } from "../support/knowledge-fixtures.ts";
import { postgresKnowledgeSkipReason } from "../support/pgvector-support.ts";
import { startTestServer, type TestServer } from "../support/test-server.ts";

const postgresSkip = await postgresKnowledgeSkipReason();
const RUNS: Array<{ backend: "pglite" | "postgres"; name: string; skip: boolean }> = [
  { backend: "pglite", name: "PGlite", skip: false },
  {
    backend: "postgres",
    name: `PostgreSQL${postgresSkip ? ` — ${postgresSkip}` : ""}`,
    skip: postgresSkip !== null,
  },
];

const KNOWLEDGE = "/accounts/demo/knowledge";

for (const run of RUNS) {
  describe.skipIf(run.skip)(`knowledge API on ${run.name}`, () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startTestServer(run.backend);
    });
    afterAll(async () => {
      await server?.close();
    });

    const ingest = (body: unknown, key?: string) =>
      server.request("POST", KNOWLEDGE, { body, ...(key ? { key } : {}) });
    const list = async (agent = "simple-research") =>
      (await server.request("GET", `${KNOWLEDGE}?agent=${agent}`)).body;
    const search = async (query: string) =>
      (await server.request("POST", `${KNOWLEDGE}/search`, { body: { agent: "simple-research", query } }))
        .body.results;

    it("ingests documents, lists them, and says where they are stored and why", async () => {
      const response = await ingest({ agent: "simple-research", documents: sampleDocuments() });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        agent: "simple-research",
        backend: "pgvector",
        chunks_limit: 500_000,
      });
      expect(response.body.documents.map((document: { status: string }) => document.status)).toEqual([
        "created",
        "created",
        "created",
      ]);
      expect(response.body.chunks_added).toBeGreaterThanOrEqual(3);

      const listed = await list();
      expect(listed.vector_store).toEqual({
        backend: "pgvector",
        requested: "pinecone-shared",
        fallback_from: "pinecone-shared",
        reason: expect.stringContaining("PINECONE_API_KEY"),
      });
      expect(listed.documents.map((document: { source: string }) => document.source).sort()).toEqual([
        "onboarding.md",
        "refund-policy.md",
        "security-practices.md",
      ]);
      expect(listed.documents[0]).toMatchObject({
        id: expect.any(String),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });

      const agents = await server.request("GET", "/accounts/demo/agents");
      const research = agents.body.agents.find((agent: { slug: string }) => agent.slug === "simple-research");
      expect(research.capabilities.knowledge).toMatchObject({
        enabled: true,
        backend: "pgvector",
        fallback_from: "pinecone-shared",
      });
      const chat = agents.body.agents.find((agent: { slug: string }) => agent.slug === "simple-chat");
      expect(chat.capabilities.knowledge).toEqual({ enabled: false, topics: [] });
    });

    it("changes nothing when the same documents come again, and says so", async () => {
      const before = await list();
      const response = await ingest({ agent: "simple-research", documents: sampleDocuments() });
      expect(response.status).toBe(200);
      expect(response.body.documents.map((document: { status: string }) => document.status)).toEqual([
        "unchanged",
        "unchanged",
        "unchanged",
      ]);
      expect(response.body.chunks_added).toBe(0);
      expect(response.body.documents.map((document: { id: string }) => document.id).sort()).toEqual(
        before.documents.map((document: { id: string }) => document.id).sort(),
      );
      expect((await list()).documents).toEqual(before.documents);
    });

    it("answers a question from the documents with a numbered citation of the right file", async () => {
      const response = await server.request("POST", "/accounts/demo/agents/simple-research/chat", {
        body: { message: "Within how many days can an annual plan be refunded in full?" },
      });
      expect(response.status).toBe(200);
      expect(response.body.text).toMatch(/14 days[^[]*\[1\]/);
      expect(response.body.text).toContain("[1] refund-policy.md");
      expect(response.body.text).not.toContain("security-practices.md");
    });

    it("replaces a document sent again under the same source with new text", async () => {
      const response = await ingest({
        agent: "simple-research",
        documents: [
          {
            title: "Refund policy",
            source: "refund-policy.md",
            content: "# Refund policy\n\nAll plans can be refunded within 60 days, no questions asked.",
          },
        ],
      });
      expect(response.status).toBe(201);
      expect(response.body.documents[0]).toMatchObject({ status: "replaced", source: "refund-policy.md" });
      const refunds = (await list()).documents.filter(
        (document: { source: string }) => document.source === "refund-policy.md",
      );
      expect(refunds).toHaveLength(1);
      expect(refunds[0].id).toBe(response.body.documents[0].id);
      const results = await search("how many days for a refund of an annual plan");
      const contents = results.map((result: { content: string }) => result.content).join(" ");
      expect(contents).toContain("60 days");
      expect(contents).not.toContain("cancellation fee");
    });

    it("converts HTML to text before storing it", async () => {
      const response = await ingest({
        agent: "simple-research",
        documents: [
          {
            title: "Travel",
            source: "travel.html",
            content:
              "<html><head><title>Travel policy</title><style>p{color:red}</style></head><body><h1>Travel</h1>" +
              "<p>Economy class is booked for <b>flights under six hours</b>.</p><script>alert(1)</script></body></html>",
          },
        ],
      });
      expect(response.status).toBe(201);
      const [top] = await search("economy class flights");
      expect(top).toMatchObject({
        title: "Travel",
        source: "travel.html",
        document_id: response.body.documents[0].id,
      });
      expect(top.content).toContain("Economy class is booked for flights under six hours.");
      expect(top.content).not.toMatch(/[<>]|alert|color/);
    });

    it("deletes a document everywhere: list, search and answers", async () => {
      const travel = (await list()).documents.find(
        (document: { source: string }) => document.source === "travel.html",
      );
      const deleted = await server.request("DELETE", `${KNOWLEDGE}/${travel.id}?agent=simple-research`);
      expect(deleted.status).toBe(200);
      expect(deleted.body).toMatchObject({ id: travel.id, title: "Travel" });
      expect((await list()).documents.map((document: { id: string }) => document.id)).not.toContain(
        travel.id,
      );
      expect(
        (await search("economy class flights")).map((result: { document_id: string }) => result.document_id),
      ).not.toContain(travel.id);
      const again = await server.request("DELETE", `${KNOWLEDGE}/${travel.id}?agent=simple-research`);
      expect(again.status).toBe(404);
      expect(again.body.error.code).toBe("KNOWLEDGE_DOCUMENT_NOT_FOUND");
    });

    it("refuses what it cannot take with a clear 4xx code", async () => {
      const document = { title: "t", content: "some text" };
      const cases: Array<[unknown, number, string]> = [
        [{ documents: [document] }, 400, "VALIDATION_FAILED"],
        [{ agent: "simple-research" }, 400, "VALIDATION_FAILED"],
        [{ agent: "simple-research", documents: [] }, 400, "VALIDATION_FAILED"],
        [
          { agent: "simple-research", documents: [{ ...document, content: "a\u0000b" }] },
          400,
          "VALIDATION_FAILED",
        ],
        [
          { agent: "simple-research", documents: [{ ...document, metadata: { document_id: "x" } }] },
          400,
          "VALIDATION_FAILED",
        ],
        [
          { agent: "simple-research", documents: [{ ...document, metadata: { nested: { a: 1 } } }] },
          400,
          "VALIDATION_FAILED",
        ],
        [
          { agent: "simple-research", documents: [{ ...document, content: "   " }] },
          422,
          "DOCUMENT_UNREADABLE",
        ],
        [{ agent: "ghost", documents: [document] }, 404, "AGENT_NOT_FOUND"],
        [{ agent: "simple-chat", documents: [document] }, 409, "KNOWLEDGE_BASE_DISABLED"],
        [
          { agent: "simple-research", urls: ["https://example.com/handbook.html"] },
          403,
          "OUTBOUND_FETCH_DISABLED",
        ],
      ];
      for (const [body, status, code] of cases) {
        const response = await ingest(body);
        expect(response.status, JSON.stringify(body)).toBe(status);
        expect(response.body.error.code).toBe(code);
      }
      const badId = await server.request("DELETE", `${KNOWLEDGE}/not-a-uuid?agent=simple-research`);
      expect(badId.status).toBe(400);
      const noAgent = await server.request("GET", KNOWLEDGE);
      expect(noAgent.status).toBe(400);
    });

    it("keeps each account's documents to itself, by API key and by document id", async () => {
      const otherKey = await createKnowledgeAccount(server, `other-${run.backend}`, "budget");
      const mine = (await list()).documents[0];
      const theirView = await server.request("GET", `${KNOWLEDGE}?agent=simple-research`, { key: otherKey });
      expect(theirView.status).toBe(404);
      expect(theirView.body.error.code).toBe("ACCOUNT_NOT_FOUND");
      const viaOwnAccount = await server.request(
        "DELETE",
        `/accounts/other-${run.backend}/knowledge/${mine.id}?agent=simple-research`,
        { key: otherKey },
      );
      expect(viaOwnAccount.status).toBe(404);
      expect(viaOwnAccount.body.error.code).toBe("KNOWLEDGE_DOCUMENT_NOT_FOUND");
      expect((await list()).documents.map((document: { id: string }) => document.id)).toContain(mine.id);
    });

    it("stops at the tier's chunk limit without storing any part of the request", async () => {
      const key = await createKnowledgeAccount(server, `tiny-${run.backend}`, "budget");
      const path = `/accounts/tiny-${run.backend}`;
      await server.request("PUT", `${path}/agents/simple-research/config`, {
        key,
        body: { knowledge_base: { enabled: true, chunk_size: 200, chunk_overlap: 0 } },
      });
      // Each ~190-character sentence is a chunk of its own; the budget tier allows 2,000.
      const sentence = (index: number) =>
        `Clause ${index} of the supplier agreement says deliveries are checked on arrival and damaged goods go back within a week of delivery.`;
      const bigDocument = (name: string, from: number, count: number) => ({
        title: name,
        source: name,
        content: Array.from({ length: count }, (_, index) => sentence(from + index)).join("\n\n"),
      });
      const tooMuch = await server.request("POST", `${path}/knowledge`, {
        key,
        body: {
          agent: "simple-research",
          documents: [bigDocument("a.txt", 0, 1_200), bigDocument("b.txt", 2_000, 900)],
        },
      });
      expect(tooMuch.status).toBe(403);
      expect(tooMuch.body.error).toMatchObject({
        code: "KNOWLEDGE_LIMIT_REACHED",
        details: { limit: 2_000 },
      });
      const listed = await server.request("GET", `${path}/knowledge?agent=simple-research`, { key });
      expect(listed.body.documents).toEqual([]);

      const fits = await server.request("POST", `${path}/knowledge`, {
        key,
        body: { agent: "simple-research", documents: [bigDocument("a.txt", 0, 1_200)] },
      });
      expect(fits.status).toBe(201);
      expect(fits.body).toMatchObject({ chunks_added: 1_200, chunks_total: 1_200, chunks_limit: 2_000 });
      const over = await server.request("POST", `${path}/knowledge`, {
        key,
        body: { agent: "simple-research", documents: [bigDocument("c.txt", 5_000, 900)] },
      });
      expect(over.status).toBe(403);
      const after = await server.request("GET", `${path}/knowledge?agent=simple-research`, { key });
      expect(after.body.documents.map((document: { source: string }) => document.source)).toEqual(["a.txt"]);
    });
  });
}

describe.skipIf(postgresSkip === null || !process.env.DATABASE_URL)(
  "knowledge on a PostgreSQL server without pgvector",
  () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer("postgres");
    });
    afterAll(async () => {
      await server?.close();
    });

    it("answers 503 VECTOR_BACKEND_UNAVAILABLE naming the missing extension, and stores nothing", async () => {
      const response = await server.request("POST", KNOWLEDGE, {
        body: { agent: "simple-research", documents: sampleDocuments() },
      });
      expect(response.status).toBe(503);
      expect(response.body.error).toMatchObject({
        code: "VECTOR_BACKEND_UNAVAILABLE",
        message: expect.stringContaining("pgvector"),
      });
      const listed = await server.request("GET", `${KNOWLEDGE}?agent=simple-research`);
      expect(listed.body.documents).toEqual([]);
      const answer = await server.request("POST", "/accounts/demo/agents/simple-research/chat", {
        body: { message: "What is the refund policy?" },
      });
      expect(answer.status).toBe(200);
      expect(answer.body.text).toMatch(/Nothing was found/);
    });
  },
);
