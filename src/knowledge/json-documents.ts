import type { MetadataValue } from "../vector/vector-store.ts";
import { extractDocumentText, guessTextFormat } from "./document-text.ts";
import type { DocumentInput } from "./ingest-documents.ts";

export interface JsonDocument {
  title: string;
  content: string;
  source?: string | undefined;
  metadata?: Record<string, MetadataValue> | undefined;
  format?: "text" | "markdown" | "html" | undefined;
}

/** Documents sent as JSON: text, markdown or HTML (named, or recognised), as plain text. */
export async function documentsFromJson(documents: JsonDocument[]): Promise<DocumentInput[]> {
  return Promise.all(
    documents.map(async (document) => {
      const format = document.format ?? guessTextFormat(document.content, document.source);
      const { text } = await extractDocumentText(document.content, format);
      return {
        title: document.title,
        text,
        source: document.source ?? null,
        metadata: document.metadata ?? {},
      };
    }),
  );
}
