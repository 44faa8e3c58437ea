import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { loadSettings } from "../../src/config/settings.ts";
import { SAMPLES_DIR } from "../support/knowledge-fixtures.ts";
import { minimalPdf } from "../support/minimal-pdf.ts";

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), "switchboard-ingest-"));
const dataDir = join(workDir, "data");
const docs = join(workDir, "docs");

async function switchboard(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [MAIN, ...args], {
      cwd: workDir,
      env: {
        ...process.env,
        SWITCHBOARD_DATA_DIR: dataDir,
        DATABASE_URL: "",
        LOG_LEVEL: "silent",
        // The demo starts without the sample documents, so every file here is new to it.
        SWITCHBOARD_SEED_SAMPLE_KNOWLEDGE: "false",
      },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

// Each command starts the whole app in a new process: slow on a busy machine.
describe("switchboard ingest", { timeout: 120_000 }, () => {
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it("ingests a folder recursively (md, txt, html, pdf), skipping other files", async () => {
    cpSync(SAMPLES_DIR, join(docs, "handbook"), { recursive: true });
    mkdirSync(join(docs, "policies", "travel"), { recursive: true });
    writeFileSync(
      join(docs, "policies", "travel", "trains.pdf"),
      minimalPdf(["Trains are booked in second class."]),
    );
    writeFileSync(join(docs, "policies", "parking.txt"), "Visitors park on level two.");
    writeFileSync(join(docs, "policies", "data.json"), "{}");
    writeFileSync(join(docs, "policies", ".draft.md"), "# Draft\n\nNot ready.");

    const result = await switchboard("ingest", "demo", "simple-research", "docs");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("created   Refund policy (docs/handbook/refund-policy.md)");
    expect(result.stdout).toContain("created   Trains (docs/policies/travel/trains.pdf)");
    expect(result.stdout).toContain(
      "5 file(s) into demo/simple-research on pgvector: 5 created, 0 replaced, 0 unchanged",
    );
    expect(result.stdout).not.toMatch(/data\.json|draft/i);
  });

  it("says a second run changed nothing", async () => {
    const result = await switchboard(
      "ingest",
      "demo",
      "simple-research",
      "docs/handbook",
      "docs/policies/parking.txt",
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "4 file(s) into demo/simple-research on pgvector: 0 created, 0 replaced, 4 unchanged",
    );
  });

  it("reports mistakes in one line with a non-zero exit", async () => {
    const unsupported = await switchboard("ingest", "demo", "simple-research", "docs/policies/data.json");
    expect(unsupported.code).toBe(1);
    expect(unsupported.stderr).toContain("UNSUPPORTED_DOCUMENT_TYPE");
    const noKnowledge = await switchboard("ingest", "demo", "simple-chat", "docs/handbook");
    expect(noKnowledge.code).toBe(1);
    expect(noKnowledge.stderr).toContain("KNOWLEDGE_BASE_DISABLED");
    const unknownAccount = await switchboard("ingest", "nobody", "simple-research", "docs/handbook");
    expect(unknownAccount.stderr).toContain("ACCOUNT_NOT_FOUND");
  });

  it("leaves the documents searchable by the server that opens the same data", async () => {
    const app = await createApp(
      loadSettings({
        SWITCHBOARD_DATA_DIR: dataDir,
        LOG_LEVEL: "silent",
        SWITCHBOARD_SEED_SAMPLE_KNOWLEDGE: "false",
      }),
      {
        logger: false,
      },
    );
    try {
      const demo = await app.accounts.getBySlug("demo");
      const listed = await app.knowledge.list(demo, "simple-research");
      expect(listed.map((document) => document.source).sort()).toEqual([
        "docs/handbook/onboarding.md",
        "docs/handbook/refund-policy.md",
        "docs/handbook/security-practices.md",
        "docs/policies/parking.txt",
        "docs/policies/travel/trains.pdf",
      ]);
      const instance = await app.knowledge.instanceOf(demo, "simple-research");
      const [top] = await app.knowledge.search({ account: demo, instance }, "which class for trains", {
        topK: 1,
      });
      expect(top).toMatchObject({ source: "docs/policies/travel/trains.pdf" });
    } finally {
      await app.close();
    }
  });
});
