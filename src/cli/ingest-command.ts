import { readFileSync } from "node:fs";
import { relative } from "node:path";
import type { Command } from "commander";
import { extractDocumentText, formatOfFile, titleFromFileName } from "../knowledge/document-text.ts";
import type { DocumentInput, IngestedDocument } from "../knowledge/ingest-documents.ts";
import { collectFiles } from "./collect-files.ts";
import { withApp } from "./open-app.ts";
import { createProgressLine } from "./progress-line.ts";

/** Files read and stored per ingestion call: the progress line moves, memory stays bounded. */
const FILES_PER_BATCH = 20;

async function readDocument(path: string): Promise<DocumentInput> {
  const extracted = await extractDocumentText(readFileSync(path), formatOfFile(path));
  const source = relative(process.cwd(), path) || path;
  return {
    title: extracted.title ?? titleFromFileName(path),
    text: extracted.text.replaceAll("\u0000", ""),
    source,
    metadata: {},
  };
}

export function registerIngestCommand(program: Command): void {
  program
    .command("ingest")
    .description("Ingest files into an instance's knowledge base (folders: every .md .txt .html .pdf inside)")
    .argument("<account>", "account slug")
    .argument("<instance>", "instance slug")
    .argument("<paths...>", "files or folders")
    .action(async (accountSlug: string, instanceSlug: string, paths: string[]) => {
      const files = collectFiles(paths);
      if (files.length === 0) {
        console.error("No .md .txt .html or .pdf files found.");
        process.exitCode = 1;
        return;
      }
      await withApp(async (app) => {
        const account = await app.accounts.getBySlug(accountSlug);
        const progress = createProgressLine();
        const results: IngestedDocument[] = [];
        let backend = "";
        let totals = "";
        try {
          for (let start = 0; start < files.length; start += FILES_PER_BATCH) {
            const batch = files.slice(start, start + FILES_PER_BATCH);
            const documents: DocumentInput[] = [];
            for (const file of batch) {
              progress.update(start + documents.length, files.length, `files · reading ${file}`);
              documents.push(await readDocument(file));
            }
            const report = await app.knowledge.ingest(account, instanceSlug, documents, (step) => {
              if (step.phase === "embedding") {
                progress.update(start, files.length, `files · embedding ${step.done}/${step.total} chunks`);
              }
            });
            results.push(...report.documents);
            backend = report.backend;
            totals = `${report.chunks_total} of ${report.chunks_limit} chunks used`;
            progress.update(start + batch.length, files.length, "files");
          }
        } finally {
          progress.finish();
        }
        for (const result of results) {
          console.log(
            `${result.status.padEnd(9)} ${result.title} (${result.source}) — ${result.chunks} chunk(s)`,
          );
        }
        const count = (status: string) => results.filter((result) => result.status === status).length;
        console.log(
          `${results.length} file(s) into ${accountSlug}/${instanceSlug} on ${backend}: ` +
            `${count("created")} created, ${count("replaced")} replaced, ${count("unchanged")} unchanged; ${totals}.`,
        );
      });
    });
}
