import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { embedText } from "../../src/models/hashing-embedder.ts";
import { chunkId, type VectorRecord, type VectorStore } from "../../src/vector/vector-store.ts";

/** Who a store belongs to: stores of two accounts may share an instance slug and must not mix. */
export interface StoreScope {
  accountId: string;
  accountSlug: string;
  instanceSlug: string;
}

export interface ContractBackend {
  createStore(scope: StoreScope): VectorStore | Promise<VectorStore>;
  /** How long reads may lag writes (real Pinecone is eventually consistent); local stores: 0. */
  settleMs?: number;
  close?(): Promise<void>;
}

const DOCUMENTS = [
  {
    id: randomUUID(),
    title: "Refund policy",
    source: "refund-policy.md",
    metadata: { team: "support", year: 2024 },
    chunks: [
      "Customers can ask for a full refund within 30 days of purchase.",
      "Refunds are paid back to the original card within five business days.",
    ],
  },
  {
    id: randomUUID(),
    title: "Security practices",
    source: null,
    metadata: { team: "security", year: 2025 },
    chunks: [
      "All laptops use full disk encryption and a screen lock after five minutes.",
      "Production access requires hardware security keys and is reviewed every quarter.",
    ],
  },
  {
    id: randomUUID(),
    title: "Onboarding",
    source: "onboarding.md",
    metadata: { team: "people", year: 2025 },
    chunks: ["New hires meet their onboarding buddy on the first day and get their laptop."],
  },
] as const;

function recordsOf(document: (typeof DOCUMENTS)[number], suffix = ""): VectorRecord[] {
  return document.chunks.map((content, index) => ({
    id: chunkId(document.id, index),
    document_id: document.id,
    chunk_index: index,
    title: document.title,
    source: document.source,
    content: `${content}${suffix}`,
    metadata: { ...document.metadata },
    values: embedText(`${document.title} ${content}${suffix}`),
  }));
}

const ALL_RECORDS = DOCUMENTS.flatMap((document) => recordsOf(document));
const [REFUNDS, SECURITY, ONBOARDING] = DOCUMENTS;

function query(text: string, topK = 5) {
  return { vector: embedText(text), text, topK };
}

function cosine(left: ArrayLike<number>, right: ArrayLike<number>): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let index = 0; index < left.length; index += 1) {
    const a = left[index] ?? 0;
    const b = right[index] ?? 0;
    dot += a * b;
    leftNorm += a * a;
    rightNorm += b * b;
  }
  return dot / Math.sqrt(leftNorm * rightNorm);
}

/**
 * The behaviour every VectorStore backend must have. Each backend's test file calls this with a
 * factory; `skip` carries the reason when the backend cannot run here, and is shown in the name.
 */
export function describeVectorStoreContract(
  name: string,
  setUp: () => Promise<ContractBackend>,
  options: { skip?: boolean } = {},
): void {
  describe.skipIf(options.skip === true)(`VectorStore contract: ${name}`, () => {
    let backend: ContractBackend;
    let store: VectorStore;
    const accountSlug = `acct-${randomUUID().slice(0, 8)}`;
    const scope = { accountId: randomUUID(), accountSlug, instanceSlug: "research" };
    const eventually = (assertion: () => Promise<void>) =>
      vi.waitFor(assertion, { timeout: Math.max(2_000, backend.settleMs ?? 0), interval: 100 });

    beforeAll(async () => {
      backend = await setUp();
      store = await backend.createStore(scope);
      await store.upsert(ALL_RECORDS);
    });
    afterAll(async () => {
      await store?.drop();
      await backend?.close?.();
    });

    it("counts what was upserted and finds the closest passages first", async () => {
      await eventually(async () => expect(await store.count()).toBe(ALL_RECORDS.length));
      const matches = await store.query(query("How many days do customers have to get a refund?"));
      expect(matches.length).toBeGreaterThan(0);
      expect(matches[0]?.document_id).toBe(REFUNDS.id);
      expect(matches[0]).toMatchObject({
        title: "Refund policy",
        source: "refund-policy.md",
        chunk_index: 0,
      });
      expect(matches[0]?.content).toContain("full refund within 30 days");
      // By vector alone, best first means highest similarity first (hybrid search may reorder).
      const byVector = await store.query({ vector: embedText("refund within 30 days"), topK: 5 });
      const scores = byVector.map((match) => match.score);
      expect(scores).toEqual([...scores].sort((left, right) => right - left));
      expect(byVector[0]?.document_id).toBe(REFUNDS.id);
      for (const score of scores) expect(Math.abs(score)).toBeLessThanOrEqual(1.0001);
    });

    it("returns at most top_k matches", async () => {
      expect(await store.query(query("security laptops refunds onboarding", 2))).toHaveLength(2);
    });

    it("keeps a missing source as null and custom metadata with its types", async () => {
      const [match] = await store.query({
        ...query("disk encryption screen lock"),
        filter: { document_id: SECURITY.id },
      });
      expect(match).toMatchObject({
        title: "Security practices",
        source: null,
        metadata: { team: "security", year: 2025 },
      });
    });

    it("filters by document, by custom metadata and by a list of values", async () => {
      const byDocument = await store.query({
        ...query("refund", 10),
        filter: { document_id: ONBOARDING.id },
      });
      expect(byDocument.map((match) => match.document_id)).toEqual([ONBOARDING.id]);

      const byTeam = await store.query({ ...query("laptop", 10), filter: { team: "security" } });
      expect(new Set(byTeam.map((match) => match.document_id))).toEqual(new Set([SECURITY.id]));

      const byYear = await store.query({ ...query("laptop", 10), filter: { year: { $in: [2024] } } });
      expect(new Set(byYear.map((match) => match.document_id))).toEqual(new Set([REFUNDS.id]));

      const typed = await store.query({ ...query("laptop", 10), filter: { year: "2025" } });
      expect(typed).toEqual([]);
      const none = await store.query({ ...query("laptop", 10), filter: { team: "finance" } });
      expect(none).toEqual([]);
    });

    it("fetches records by id with their vectors", async () => {
      const wanted = [chunkId(REFUNDS.id, 1), chunkId(SECURITY.id, 0), "missing:0"];
      const fetched = await store.fetch(wanted);
      expect(fetched.map((record) => record.id).sort()).toEqual(wanted.slice(0, 2).sort());
      for (const record of fetched) {
        const original = ALL_RECORDS.find((candidate) => candidate.id === record.id);
        expect(original).toBeDefined();
        expect(record).toMatchObject({ document_id: original?.document_id, content: original?.content });
        expect(cosine(record.values, original?.values ?? [])).toBeGreaterThan(0.9999);
      }
    });

    it("overwrites a record upserted again under the same id", async () => {
      await store.upsert(recordsOf(ONBOARDING, " Bring your passport."));
      await eventually(async () => {
        const [match] = await store.query({
          ...query("passport onboarding"),
          filter: { document_id: ONBOARDING.id },
        });
        expect(match?.content).toContain("Bring your passport.");
      });
      expect(await store.count()).toBe(ALL_RECORDS.length);
    });

    it("never shows another account's records, even with the same instance slug", async () => {
      const other = await backend.createStore({
        accountId: randomUUID(),
        accountSlug: `${accountSlug}-b`,
        instanceSlug: "research",
      });
      try {
        await other.upsert([
          {
            ...recordsOf(REFUNDS)[0],
            id: "theirs:0",
            document_id: "theirs",
            content: "Their secret refund rule.",
          } as VectorRecord,
        ]);
        await eventually(async () => expect(await other.count()).toBe(1));
        const mine = await store.query(query("Their secret refund rule.", 10));
        expect(mine.map((match) => match.document_id)).not.toContain("theirs");
        const theirs = await other.query(query("refund", 10));
        expect(theirs.map((match) => match.document_id)).toEqual(["theirs"]);
        expect(await store.fetch(["theirs:0"])).toEqual([]);
      } finally {
        await other.drop();
      }
    });

    it("deletes one document's chunks and nothing else", async () => {
      await store.deleteDocument(REFUNDS.id);
      await eventually(async () =>
        expect(await store.count()).toBe(ALL_RECORDS.length - REFUNDS.chunks.length),
      );
      const matches = await store.query(query("refund within 30 days", 10));
      expect(matches.map((match) => match.document_id)).not.toContain(REFUNDS.id);
      expect(matches.length).toBeGreaterThan(0);
    });

    it("finds nothing in a knowledge base that was never written", async () => {
      const empty = await backend.createStore({
        accountId: randomUUID(),
        accountSlug: `${accountSlug}-e`,
        instanceSlug: "empty",
      });
      expect(await empty.count()).toBe(0);
      expect(await empty.query(query("anything"))).toEqual([]);
      expect(await empty.fetch(["nothing:0"])).toEqual([]);
      await empty.deleteDocument(randomUUID());
      await empty.drop();
    });

    it("drops everything, and can be written again afterwards", async () => {
      await store.drop();
      await eventually(async () => expect(await store.count()).toBe(0));
      expect(await store.query(query("laptop"))).toEqual([]);
      await store.upsert(recordsOf(SECURITY));
      await eventually(async () => expect(await store.count()).toBe(SECURITY.chunks.length));
    });
  });
}
