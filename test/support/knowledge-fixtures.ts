import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { PineconeSettings } from "../../src/vector/pinecone-settings.ts";
import type { PineconeWireServer } from "./pinecone-wire-server.ts";
import type { TestServer } from "./test-server.ts";

export const SAMPLES_DIR = fileURLToPath(new URL("../../samples/knowledge/", import.meta.url));

/** The shipped sample documents as JSON ingestion entries (title from the file name). */
export function sampleDocuments(): Array<{ title: string; content: string; source: string }> {
  return readdirSync(SAMPLES_DIR)
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => ({ title: name, content: readFileSync(`${SAMPLES_DIR}${name}`, "utf8"), source: name }));
}

export function pineconeSettingsFor(server: PineconeWireServer): PineconeSettings {
  return {
    apiKey: server.apiKey,
    controllerHostUrl: server.url,
    sharedIndex: "switchboard-shared",
    cloud: "aws",
    region: "us-east-1",
    maxRetries: 0,
  };
}

/** A new account of a tier with one simple-research instance; returns its API key. */
export async function createKnowledgeAccount(
  server: TestServer,
  slug: string,
  tier: string,
): Promise<string> {
  const created = await server.request("POST", "/accounts", {
    key: server.adminKey,
    body: { slug, name: slug, tier },
  });
  if (created.status !== 201) throw new Error(`account ${slug}: ${created.status} ${created.text}`);
  const key: string = created.body.api_key;
  const provisioned = await server.request("POST", `/accounts/${slug}/agents`, {
    key,
    body: { type: "simple-research", slug: "simple-research" },
  });
  if (provisioned.status !== 201)
    throw new Error(`agent for ${slug}: ${provisioned.status} ${provisioned.text}`);
  return key;
}
