import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/client.ts";
import { embedText } from "../../src/models/hashing-embedder.ts";
import type { PineconeSettings } from "../../src/vector/pinecone-settings.ts";
import { chunkId, type VectorRecord } from "../../src/vector/vector-store.ts";
import { createVectorStores, type StoreAccount, type VectorStores } from "../../src/vector/vector-stores.ts";
import {
  type PineconeWireServer,
  type RecordedRequest,
  startPineconeWireServer,
} from "../support/pinecone-wire-server.ts";
import {
  type ContractBackend,
  describeVectorStoreContract,
  type StoreScope,
} from "./vector-store-contract.ts";

const SHARED_INDEX = "switchboard-test";

/** Pinecone stores never touch the database; this stand-in fails loudly if one tried. */
const NO_DATABASE = new Proxy(
  {},
  {
    get() {
      throw new Error("a Pinecone store touched the database");
    },
  },
) as DatabaseHandle;

function vectorsIn(request: RecordedRequest): unknown[] {
  return Array.isArray(request.body?.vectors) ? request.body.vectors : [];
}

function settingsFor(server: PineconeWireServer): PineconeSettings {
  return {
    apiKey: server.apiKey,
    controllerHostUrl: server.url,
    sharedIndex: SHARED_INDEX,
    cloud: "aws",
    region: "us-east-1",
    maxRetries: 0,
  };
}

/** Stores built the way the server builds them, for a scope's account on a tier. */
function storeFor(stores: VectorStores, scope: StoreScope, tier: StoreAccount["tier"]) {
  const account = { id: scope.accountId, slug: scope.accountSlug, tier };
  return stores.open(
    account,
    { slug: scope.instanceSlug },
    stores.config(account, { slug: scope.instanceSlug }).backend,
  );
}

async function wireBackend(tier: StoreAccount["tier"]): Promise<ContractBackend> {
  const server = await startPineconeWireServer();
  const stores = createVectorStores({ database: NO_DATABASE, pinecone: settingsFor(server) });
  return {
    createStore: (scope) => storeFor(stores, scope, tier),
    close: () => server.close(),
  };
}

describeVectorStoreContract("Pinecone shared index (local wire-format server)", () =>
  wireBackend("standard"),
);
describeVectorStoreContract("Pinecone dedicated index (local wire-format server)", () =>
  wireBackend("enterprise"),
);

// A real Pinecone project only when a key is given; its reads lag writes by a few seconds.
const realKey = process.env.PINECONE_API_KEY;
describeVectorStoreContract(
  realKey
    ? "Pinecone (real service, PINECONE_API_KEY set)"
    : "Pinecone (real service) — skipped: PINECONE_API_KEY is not set",
  async () => {
    const stores = createVectorStores({
      database: NO_DATABASE,
      pinecone: {
        apiKey: realKey ?? "",
        controllerHostUrl: process.env.PINECONE_CONTROLLER_HOST ?? null,
        sharedIndex: process.env.PINECONE_INDEX ?? "switchboard-contract",
        cloud: process.env.PINECONE_CLOUD ?? "aws",
        region: process.env.PINECONE_REGION ?? "us-east-1",
        maxRetries: 3,
      },
    });
    return {
      createStore: (scope) => storeFor(stores, scope, "standard"),
      settleMs: 60_000,
    };
  },
  { skip: realKey === undefined },
);

describe("Pinecone request shaping", () => {
  let server: PineconeWireServer;
  let stores: VectorStores;
  const account: StoreAccount = { id: randomUUID(), slug: "acme-corp", tier: "standard" };

  function records(documentId: string, count: number, contentLength = 40): VectorRecord[] {
    return Array.from({ length: count }, (_, index) => ({
      id: chunkId(documentId, index),
      document_id: documentId,
      chunk_index: index,
      title: "Handbook",
      source: index % 2 === 0 ? "handbook.md" : null,
      content: `passage ${index} `.padEnd(contentLength, "x"),
      metadata: { lang: "en" },
      values: embedText(`passage ${index}`),
    }));
  }

  beforeAll(async () => {
    server = await startPineconeWireServer();
    stores = createVectorStores({ database: NO_DATABASE, pinecone: settingsFor(server) });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("writes an account-instance into its own namespace of the shared index, with the account in every record", async () => {
    server.createIndex(SHARED_INDEX, 384);
    const store = stores.open(account, { slug: "support-bot" }, "pinecone-shared");
    server.requests.length = 0;
    await store.upsert(records("doc-1", 3));
    const upserts = server.requests.filter((request) => request.path === "/vectors/upsert");
    expect(upserts).toHaveLength(1);
    expect(upserts[0]?.index).toBe(SHARED_INDEX);
    expect(upserts[0]?.body?.namespace).toBe("account-acme-corp_support-bot");
    const vectors = upserts[0]?.body?.vectors as Array<{
      id: string;
      values: number[];
      metadata: Record<string, unknown>;
    }>;
    expect(vectors.map((vector) => vector.id)).toEqual(["doc-1:0", "doc-1:1", "doc-1:2"]);
    expect(vectors[0]?.values).toHaveLength(384);
    expect(vectors[0]?.metadata).toEqual({
      account_id: account.id,
      document_id: "doc-1",
      chunk_index: 0,
      title: "Handbook",
      content: expect.stringContaining("passage 0"),
      source: "handbook.md",
      lang: "en",
    });
    // Pinecone metadata cannot hold null: a missing source is left out.
    expect(vectors[1]?.metadata).not.toHaveProperty("source");
    expect(upserts[0]?.headers["api-key"]).toBe(server.apiKey);
  });

  it("splits large upserts into requests of at most 100 records and about 1.5 MB", async () => {
    const store = stores.open(account, { slug: "support-bot" }, "pinecone-shared");
    server.requests.length = 0;
    await store.upsert(records("doc-many", 250));
    const sizes = server.requests
      .filter((request) => request.path === "/vectors/upsert")
      .map((request) => vectorsIn(request).length);
    expect(sizes.sort((left, right) => right - left)).toEqual([100, 100, 50]);

    server.requests.length = 0;
    await store.upsert(records("doc-big", 60, 30_000));
    const bodies = server.requests.filter((request) => request.path === "/vectors/upsert");
    expect(bodies.length).toBeGreaterThan(1);
    for (const request of bodies) expect(JSON.stringify(request.body).length).toBeLessThan(2_000_000);
    expect(bodies.reduce((sum, request) => sum + vectorsIn(request).length, 0)).toBe(60);
  });

  it("queries the namespace with the account always in the filter, next to the caller's", async () => {
    const store = stores.open(account, { slug: "support-bot" }, "pinecone-shared");
    server.requests.length = 0;
    await store.query({
      vector: embedText("passage"),
      topK: 4,
      filter: { document_id: "doc-1", chunk_index: { $in: [0, 2] }, account_id: "someone-else" },
    });
    const [query] = server.requests.filter((request) => request.path === "/query");
    expect(query?.body).toMatchObject({
      namespace: "account-acme-corp_support-bot",
      topK: 4,
      includeMetadata: true,
      filter: {
        account_id: { $eq: account.id },
        document_id: { $eq: "doc-1" },
        chunk_index: { $in: [0, 2] },
      },
    });
  });

  it("deletes a document by listing its id prefix, then deleting those ids", async () => {
    const store = stores.open(account, { slug: "support-bot" }, "pinecone-shared");
    server.requests.length = 0;
    await store.deleteDocument("doc-many");
    const lists = server.requests.filter((request) => request.path === "/vectors/list");
    expect(lists[0]?.query.get("prefix")).toBe("doc-many:");
    expect(lists[0]?.query.get("namespace")).toBe("account-acme-corp_support-bot");
    expect(lists).toHaveLength(3);
    const deleted = server.requests
      .filter((request) => request.path === "/vectors/delete")
      .flatMap((request) => request.body?.ids as string[]);
    expect(deleted).toHaveLength(250);
    expect(deleted.every((id) => id.startsWith("doc-many:"))).toBe(true);
    expect(await store.count()).toBe(3 + 60);
  });

  it("creates the enterprise account's dedicated index on first write, sized to the vectors", async () => {
    const enterprise: StoreAccount = { id: randomUUID(), slug: "bigco", tier: "enterprise" };
    const config = stores.config(enterprise, { slug: "expert" });
    expect(config).toMatchObject({ backend: "pinecone-dedicated", location: { index: "dedicated-bigco" } });
    const store = stores.open(enterprise, { slug: "expert" }, config.backend);
    expect(await store.count()).toBe(0);
    await store.upsert(records("doc-e", 2));
    const created = server.requests.find(
      (request) => request.method === "POST" && request.path === "/indexes",
    );
    expect(created?.body).toMatchObject({
      name: "dedicated-bigco",
      schema: { fields: { _values: { type: "dense_vector", dimension: 384, metric: "cosine" } } },
      deployment: { deployment_type: "managed", cloud: "aws", region: "us-east-1" },
    });
    expect(server.indexes.get("dedicated-bigco")?.namespaces.get("account-bigco_expert")?.size).toBe(2);
    await stores.dropDedicatedIndex(enterprise);
    expect(server.indexes.has("dedicated-bigco")).toBe(false);
  });

  it("answers a Pinecone outage as 503 VECTOR_BACKEND_UNAVAILABLE", async () => {
    const store = stores.open(account, { slug: "support-bot" }, "pinecone-shared");
    server.failNext(1, 503);
    await expect(store.query({ vector: embedText("x"), topK: 1 })).rejects.toMatchObject({
      code: "VECTOR_BACKEND_UNAVAILABLE",
      status: 503,
    });
  });
});
