import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Account } from "../accounts/account-service.ts";
import { titleFromFileName } from "./document-text.ts";
import { documentsFromJson } from "./json-documents.ts";
import type { KnowledgeService } from "./knowledge-service.ts";

const SAMPLES_DIR = fileURLToPath(new URL("../../samples/knowledge/", import.meta.url));

/** Which seeded instance learns which sample files: the expert only what its domain covers. */
const SAMPLE_PLAN: Array<{ agent: string; files: (name: string) => boolean }> = [
  { agent: "simple-research", files: () => true },
  { agent: "digital-expert", files: (name) => name.startsWith("security") },
];

/**
 * The demo account's knowledge: the sample company documents that ship in samples/knowledge,
 * so research and expert agents have something to cite from the first start.
 */
export async function seedSampleKnowledge(knowledge: KnowledgeService, account: Account): Promise<number> {
  const names = readdirSync(SAMPLES_DIR)
    .filter((name) => name.endsWith(".md"))
    .sort();
  let documents = 0;
  for (const { agent, files } of SAMPLE_PLAN) {
    const chosen = names.filter(files);
    const inputs = await documentsFromJson(
      chosen.map((name) => ({
        title: titleFromFileName(name),
        content: readFileSync(`${SAMPLES_DIR}${name}`, "utf8"),
        source: name,
      })),
    );
    const report = await knowledge.ingest(account, agent, inputs);
    documents += report.documents.length;
  }
  return documents;
}
