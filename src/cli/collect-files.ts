import { readdirSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { UnsupportedDocumentTypeError } from "../errors/app-error.ts";
import { FILE_FORMATS } from "../knowledge/document-text.ts";

/**
 * The documents named on the command line: files as given (of a supported type), and in folders
 * every .md .txt .html .pdf file, recursively, in a stable order. Hidden entries are skipped.
 */
export function collectFiles(paths: string[]): string[] {
  const found: string[] = [];
  const visit = (path: string, named: boolean) => {
    const stats = statSync(path);
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (entry.startsWith(".") || entry === "node_modules") continue;
        visit(join(path, entry), false);
      }
    } else if (stats.isFile()) {
      if (FILE_FORMATS[extname(path).toLowerCase()]) found.push(path);
      else if (named) {
        throw new UnsupportedDocumentTypeError(
          `"${path}" is not a supported document type; use ${Object.keys(FILE_FORMATS).join(", ")}`,
        );
      }
    }
  };
  for (const path of paths) visit(path, true);
  return [...new Set(found)];
}
