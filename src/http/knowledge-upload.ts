import type { FastifyRequest } from "fastify";
import { SlugSchema } from "../config/identifiers.ts";
import { PayloadTooLargeError, ValidationError } from "../errors/app-error.ts";
import { extractDocumentText, formatOfFile, titleFromFileName } from "../knowledge/document-text.ts";
import type { DocumentInput } from "../knowledge/ingest-documents.ts";

/** How many files one upload may carry. */
export const MAX_UPLOAD_FILES = 50;

const LIMIT_CODES = new Set([
  "FST_REQ_FILE_TOO_LARGE",
  "FST_FILES_LIMIT",
  "FST_PARTS_LIMIT",
  "FST_FIELDS_LIMIT",
]);

/**
 * A multipart upload: an `agent` field and one or more .txt .md .html .pdf files (under any
 * field name). Each file becomes a document titled by its own title or its file name.
 */
export async function readUpload(
  request: FastifyRequest,
  limitBytes: number,
): Promise<{ agent: string; documents: DocumentInput[] }> {
  let agent: string | undefined;
  const documents: DocumentInput[] = [];
  try {
    for await (const part of request.parts({ limits: { fileSize: limitBytes, files: MAX_UPLOAD_FILES } })) {
      if (part.type === "field") {
        if (part.fieldname === "agent") agent = String(part.value);
        continue;
      }
      const name = part.filename || part.fieldname;
      const format = formatOfFile(name);
      const bytes = await part.toBuffer();
      const extracted = await extractDocumentText(bytes, format);
      documents.push({
        title: extracted.title ?? titleFromFileName(name),
        // PDFs can carry NUL characters, which PostgreSQL text cannot hold.
        text: extracted.text.replaceAll("\u0000", ""),
        source: name,
        metadata: {},
      });
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && LIMIT_CODES.has(code)) {
      throw new PayloadTooLargeError(
        `The upload is too large: at most ${MAX_UPLOAD_FILES} files of ${limitBytes} bytes each`,
        { cause: error },
      );
    }
    throw error;
  }
  const parsedAgent = SlugSchema.safeParse(agent);
  if (!parsedAgent.success) {
    throw new ValidationError("body.agent: send the agent's slug as a form field named agent", {
      details: { issues: [{ path: "body.agent", message: "is required (a slug)" }] },
    });
  }
  if (documents.length === 0) {
    throw new ValidationError("body: attach at least one file", {
      details: { issues: [{ path: "body", message: "attach at least one .txt, .md, .html or .pdf file" }] },
    });
  }
  return { agent: parsedAgent.data, documents };
}
