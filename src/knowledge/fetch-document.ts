import { PayloadTooLargeError, UrlFetchFailedError } from "../errors/app-error.ts";
import { extractDocumentText, formatOfMediaType, titleFromFileName } from "./document-text.ts";
import type { DocumentInput } from "./ingest-documents.ts";

const TIMEOUT_MS = 15_000;

async function readCapped(response: Response, limitBytes: number, url: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? 0);
  if (declared > limitBytes) throw new PayloadTooLargeError(`${url} is larger than ${limitBytes} bytes`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    if (size > limitBytes) throw new PayloadTooLargeError(`${url} is larger than ${limitBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Fetches one URL and turns it into a document. Only called when the operator allowed outbound
 * fetches: the server then requests whatever address a client names.
 */
export async function fetchDocument(url: string, limitBytes: number): Promise<DocumentInput> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: "follow" });
  } catch (error) {
    throw new UrlFetchFailedError(
      `Could not fetch ${url}: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new UrlFetchFailedError(`Fetching ${url} answered ${response.status}`, {
      details: { url, status: response.status },
    });
  }
  const path = new URL(response.url || url).pathname;
  const name = path.split("/").filter(Boolean).at(-1) ?? new URL(url).hostname;
  const format = formatOfMediaType(response.headers.get("content-type"), name);
  const bytes = await readCapped(response, limitBytes, url);
  const extracted = await extractDocumentText(bytes, format);
  return {
    title: extracted.title ?? titleFromFileName(name),
    text: extracted.text,
    source: url,
    metadata: {},
  };
}
