/** A line that starts a block of its own: a list item, heading, table row, quote or fence. */
const BLOCK_START = /^\s*(?:[-*+]\s|\d+[.)]\s|#{1,6}\s|\||>|```)/;
const HEADING = /^\s*#{1,6}\s/;

/**
 * Hard-wrapped lines of one paragraph become one line, as a reader (and markdown) sees them, so
 * sentences are not cut at the wrap. Blank lines, list items, headings and table rows keep
 * their own lines.
 */
export function unwrapLines(text: string): string {
  const lines: string[] = [];
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    const previous = lines.at(-1);
    const joinable =
      previous !== undefined &&
      previous.trim() !== "" &&
      line.trim() !== "" &&
      !BLOCK_START.test(line) &&
      !HEADING.test(previous) &&
      !/^\s*(?:\||```)/.test(previous);
    if (joinable) lines[lines.length - 1] = `${previous.trimEnd()} ${line.trim()}`;
    else lines.push(line);
  }
  return lines.join("\n");
}

function inlineText(markdown: string): string {
  return markdown
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])/g, "$1")
    .replace(/`([^`]+)`/g, "$1");
}

/**
 * Markdown as plain text: the markup (heading marks, emphasis, link targets, fences, rules) goes.
 * The first top-level heading is the document's title; a section heading leads its paragraph
 * ("Annual plans: Annual plans can be refunded…"), so a quoted sentence keeps its context and a
 * bare heading is never quoted as if it were a finding.
 */
export function markdownToText(markdown: string): { text: string; title: string | null } {
  const blocks = unwrapLines(markdown)
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter((block) => block !== "" && !/^(?:```.*|(?:[-*_]\s*){3,})$/.test(block));
  let title: string | null = null;
  const out: string[] = [];
  let heading: string | null = null;
  for (const block of blocks) {
    const match = /^(#{1,6})\s+(.*?)\s*#*$/.exec(block);
    if (match && !block.includes("\n")) {
      const text = inlineText(match[2] ?? "").trim();
      if (match[1] === "#" && title === null && out.length === 0) title = text;
      else {
        if (heading !== null) out.push(`${heading}:`);
        heading = text;
      }
      continue;
    }
    const body = inlineText(block)
      .replace(/^```.*$/gm, "")
      .replace(/^\s{0,3}>\s?/gm, "")
      .replace(/^\s*\|?\s*:?-{3,}.*$/gm, "")
      .replace(/\n{2,}/g, "\n")
      .trim();
    if (body === "") continue;
    const startsWithList = BLOCK_START.test(body);
    out.push(heading === null ? body : startsWithList ? `${heading}:\n${body}` : `${heading}: ${body}`);
    heading = null;
  }
  if (heading !== null) out.push(`${heading}:`);
  return { text: out.join("\n\n"), title };
}
