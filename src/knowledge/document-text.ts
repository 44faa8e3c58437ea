import { extname } from "node:path";
import { convert } from "html-to-text";
import { extractText, getDocumentProxy } from "unpdf";
import { DocumentUnreadableError, UnsupportedDocumentTypeError } from "../errors/app-error.ts";
import { markdownToText, unwrapLines } from "./plain-text.ts";

export const DOCUMENT_FORMATS = ["text", "markdown", "html", "pdf"] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

/** File extensions ingestion reads, and what each one is. */
export const FILE_FORMATS: Readonly<Record<string, DocumentFormat>> = {
  ".txt": "text",
  ".text": "text",
  ".md": "markdown",
  ".markdown": "markdown",
  ".html": "html",
  ".htm": "html",
  ".pdf": "pdf",
};

const MEDIA_TYPES: Readonly<Record<string, DocumentFormat>> = {
  "text/plain": "text",
  "text/markdown": "markdown",
  "text/x-markdown": "markdown",
  "text/html": "html",
  "application/xhtml+xml": "html",
  "application/pdf": "pdf",
};

export interface ExtractedText {
  text: string;
  /** The document's own title (a first heading, an HTML <title>), when it has one. */
  title: string | null;
}

export function formatOfFile(name: string): DocumentFormat {
  const format = FILE_FORMATS[extname(name).toLowerCase()];
  if (!format) {
    throw new UnsupportedDocumentTypeError(
      `"${name}" is not a supported document type; send ${Object.keys(FILE_FORMATS).join(", ")}`,
    );
  }
  return format;
}

export function formatOfMediaType(mediaType: string | null, name: string): DocumentFormat {
  const type = (mediaType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const known = MEDIA_TYPES[type];
  if (known) return known;
  if (FILE_FORMATS[extname(name).toLowerCase()]) return formatOfFile(name);
  throw new UnsupportedDocumentTypeError(
    `"${name}" is ${type || "of an unknown type"}; send text, markdown, HTML or PDF`,
  );
}

/** JSON documents say nothing about their format: a source's extension tells, else HTML is recognised by its tags. */
export function guessTextFormat(content: string, source: string | null | undefined): DocumentFormat {
  const path = source?.split(/[?#]/)[0] ?? "";
  const fromSource = FILE_FORMATS[extname(path).toLowerCase()];
  if (fromSource && fromSource !== "pdf") return fromSource;
  if (
    /^\s*(?:<!doctype html|<html[\s>]|<body[\s>]|<(?:p|div|h[1-6]|article|section|ul|table)[\s>])/i.test(
      content,
    )
  ) {
    return "html";
  }
  return /^#{1,6}\s|\n#{1,6}\s|\n[-*]\s|\[[^\]]+\]\([^)]+\)/.test(content) ? "markdown" : "text";
}

function htmlToText(html: string): ExtractedText {
  const title =
    /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1] ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(html)?.[1];
  const text = convert(html, {
    wordwrap: false,
    selectors: [
      { selector: "a", options: { ignoreHref: true } },
      { selector: "img", format: "skip" },
      { selector: "script", format: "skip" },
      { selector: "style", format: "skip" },
      { selector: "nav", format: "skip" },
      { selector: "h1", options: { uppercase: false } },
      { selector: "h2", options: { uppercase: false } },
      { selector: "h3", options: { uppercase: false } },
      { selector: "h4", options: { uppercase: false } },
      { selector: "h5", options: { uppercase: false } },
      { selector: "h6", options: { uppercase: false } },
      { selector: "table", options: { uppercaseHeaderCells: false } },
    ],
  });
  const cleanTitle = title === undefined ? null : convert(title, { wordwrap: false }).trim() || null;
  return { text, title: cleanTitle };
}

async function pdfToText(bytes: Uint8Array): Promise<ExtractedText> {
  try {
    const document = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    const { text } = await extractText(document, { mergePages: true });
    const metadata = await document.getMetadata().catch(() => null);
    const info = metadata?.info as { Title?: unknown } | undefined;
    const title = typeof info?.Title === "string" && info.Title.trim() ? info.Title.trim() : null;
    return { text, title };
  } catch (error) {
    throw new DocumentUnreadableError("The PDF could not be read (it is damaged, encrypted or not a PDF)", {
      cause: error,
    });
  }
}

/** A document's plain text, whatever it came as. */
export async function extractDocumentText(
  content: string | Uint8Array,
  format: DocumentFormat,
): Promise<ExtractedText> {
  if (format === "pdf") {
    return pdfToText(typeof content === "string" ? new TextEncoder().encode(content) : content);
  }
  const text =
    typeof content === "string" ? content : new TextDecoder("utf-8", { fatal: false }).decode(content);
  switch (format) {
    case "html":
      return htmlToText(text);
    case "markdown":
      return markdownToText(text);
    case "text":
      return { text: unwrapLines(text), title: null };
    default: {
      const unknown: never = format;
      throw new UnsupportedDocumentTypeError(`Unsupported document format ${String(unknown)}`);
    }
  }
}

/** "refund-policy.md" → "Refund policy": the fallback title of a file without one of its own. */
export function titleFromFileName(name: string): string {
  const base = name.replace(/\\/g, "/").split("/").at(-1) ?? name;
  const stem =
    base
      .slice(0, base.length - extname(base).length)
      .replace(/[-_]+/g, " ")
      .trim() || base;
  return stem.charAt(0).toUpperCase() + stem.slice(1);
}
