import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadSettings } from "../../src/config/settings.ts";
import type { PineconeSettings } from "../../src/vector/pinecone-settings.ts";
import { createKnowledgeAccount, pineconeSettingsFor } from "../support/knowledge-fixtures.ts";
import { type PineconeWireServer, startPineconeWireServer } from "../support/pinecone-wire-server.ts";
import { startTestServer, type TestServer } from "../support/test-server.ts";

const SECRET = {
  title: "Zephyr launch plan",
  source: "zephyr-launch.md",
  content:
    "# Zephyr launch plan\n\nThe Zephyr launch is on March 3. The launch codename is BLUEFALCON and only the launch team may know it.",
};
const OWN = {
  title: "Cafeteria",
  source: "cafeteria.md",
  content: "The cafeteria opens at 8 am and serves lunch until 2 pm.",
};
const QUESTION = "When is the Zephyr launch and what is its codename?";

interface Variant {
  name: string;
  tier: "budget" | "standard" | "enterprise";
  backend: string;
  pinecone: "wire" | "real" | null;
  skip?: boolean;
}

const realKey = process.env.PINECONE_API_KEY;
const VARIANTS: Variant[] = [
  { name: "pgvector (budget tier)", tier: "budget", backend: "pgvector", pinecone: "wire" },
  {
    name: "Pinecone shared index (standard tier, local wire-format server)",
    tier: "standard",
    backend: "pinecone-shared",
    pinecone: "wire",
  },
  {
    name: "Pinecone dedicated index (enterprise tier, local wire-format server)",
    tier: "enterprise",
    backend: "pinecone-dedicated",
    pinecone: "wire",
  },
  {
    name: realKey ? "real Pinecone (standard tier)" : "real Pinecone — skipped: PINECONE_API_KEY is not set",
    tier: "standard",
    backend: "pinecone-shared",
    pinecone: "real",
    skip: realKey === undefined,
  },
];

function realPinecone(): PineconeSettings {
  return {
    apiKey: realKey ?? "",
    controllerHostUrl: process.env.PINECONE_CONTROLLER_HOST ?? null,
    sharedIndex: process.env.PINECONE_INDEX ?? "switchboard-contract",
    cloud: process.env.PINECONE_CLOUD ?? "aws",
    region: process.env.PINECONE_REGION ?? "us-east-1",
    maxRetries: 3,
  };
}

/** One server (and one wire-format Pinecone) for every tier: accounts of each tier live side by side. */
let wireSetup: Promise<{ server: TestServer; wire: PineconeWireServer }> | null = null;
function sharedWireServer() {
  wireSetup ??= (async () => {
    const wire = await startPineconeWireServer();
    const base = loadSettings({ SWITCHBOARD_DATA_DIR: ":memory:" });
    const server = await startTestServer("pglite", {
      knowledge: { ...base.knowledge, pinecone: pineconeSettingsFor(wire) },
    });
    return { server, wire };
  })();
  return wireSetup;
}

async function realPineconeServer(): Promise<{ server: TestServer; wire: null }> {
  const base = loadSettings({ SWITCHBOARD_DATA_DIR: ":memory:" });
  return {
    server: await startTestServer("pglite", { knowledge: { ...base.knowledge, pinecone: realPinecone() } }),
    wire: null,
  };
}

afterAll(async () => {
  if (!wireSetup) return;
  const { server, wire } = await wireSetup;
  await server.close();
  await wire.close();
});

for (const variant of VARIANTS) {
  describe.skipIf(variant.skip === true)(`cross-account knowledge isolation on ${variant.name}`, () => {
    let server: TestServer;
    let wire: PineconeWireServer | null = null;
    let keyA: string;
    let keyB: string;
    const suffix = Math.random().toString(36).slice(2, 8);
    const slugA = `alpha-${suffix}`;
    const slugB = `bravo-${suffix}`;

    beforeAll(async () => {
      ({ server, wire } =
        variant.pinecone === "wire" ? await sharedWireServer() : await realPineconeServer());
      keyA = await createKnowledgeAccount(server, slugA, variant.tier);
      keyB = await createKnowledgeAccount(server, slugB, variant.tier);
      for (const [slug, key, document] of [
        [slugB, keyB, SECRET],
        [slugA, keyA, OWN],
      ] as const) {
        const ingested = await server.request("POST", `/accounts/${slug}/knowledge`, {
          key,
          body: { agent: "simple-research", documents: [document] },
        });
        expect(ingested.status, ingested.text).toBe(201);
        expect(ingested.body.backend).toBe(variant.backend);
      }
    });
    afterAll(async () => {
      for (const [slug, key] of [
        [slugA, keyA],
        [slugB, keyB],
      ] as const) {
        if (!key) continue;
        const listed = await server.request("GET", `/accounts/${slug}/knowledge?agent=simple-research`, {
          key,
        });
        for (const document of listed.body?.documents ?? []) {
          await server.request("DELETE", `/accounts/${slug}/knowledge/${document.id}?agent=simple-research`, {
            key,
          });
        }
      }
      if (variant.pinecone === "real") await server?.close();
    });

    const chat = (slug: string, key: string) =>
      server.request("POST", `/accounts/${slug}/agents/simple-research/chat`, {
        key,
        body: { message: QUESTION },
      });
    const search = (slug: string, key: string) =>
      server.request("POST", `/accounts/${slug}/knowledge/search`, {
        key,
        body: { agent: "simple-research", query: `${QUESTION} BLUEFALCON`, top_k: 10 },
      });

    it("answers B from B's documents (the question does find them)", async () => {
      await vi.waitFor(
        async () => {
          const answer = await chat(slugB, keyB);
          expect(answer.status).toBe(200);
          expect(answer.body.text).toContain("March 3");
          expect(answer.body.text).toContain("[1] Zephyr launch plan (zephyr-launch.md)");
        },
        { timeout: variant.pinecone === "real" ? 60_000 : 2_000, interval: 1_000 },
      );
    });

    it("never shows B's documents to A, in answers or in search", async () => {
      const answer = await chat(slugA, keyA);
      expect(answer.status).toBe(200);
      expect(answer.body.text).not.toMatch(/BLUEFALCON|March 3|zephyr-launch\.md|Zephyr launch plan/);
      expect(answer.body.text).toMatch(/Nothing was found/);

      const results = await search(slugA, keyA);
      expect(results.status).toBe(200);
      const seen = JSON.stringify(results.body.results);
      expect(seen).not.toMatch(/BLUEFALCON|zephyr/i);
      for (const result of results.body.results) expect(result.source).toBe("cafeteria.md");
    });

    it("keeps B's vectors where only B's store can reach them", async () => {
      if (!wire) return;
      const stored = [...wire.indexes.values()]
        .flatMap((index) =>
          [...index.namespaces.entries()].flatMap(([namespace, vectors]) =>
            [...vectors.values()].map((vector) => ({
              index: index.name,
              namespace,
              content: String(vector.metadata?.content),
            })),
          ),
        )
        .filter((entry) => entry.namespace.includes(suffix));
      if (variant.backend === "pgvector") {
        expect(stored).toEqual([]);
        return;
      }
      const secret = stored.filter((entry) => entry.content.includes("BLUEFALCON"));
      expect(secret).toHaveLength(1);
      expect(secret[0]?.namespace).toBe(`account-${slugB}_simple-research`);
      if (variant.backend === "pinecone-dedicated") expect(secret[0]?.index).toBe(`dedicated-${slugB}`);
      const own = stored.find((entry) => entry.content.includes("cafeteria"));
      expect(own?.namespace).toBe(`account-${slugA}_simple-research`);
    });
  });
}
