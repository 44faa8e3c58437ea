export interface ChunkOptions {
  /** Most characters in a chunk. */
  size: number;
  /** Characters of the previous chunk's end repeated at the next one's start, so no passage is cut off from its context. */
  overlap: number;
}

/** A sentence (or a piece of one too long to keep whole), with what joins it to the previous unit. */
interface Unit {
  text: string;
  separator: string;
}

const PARAGRAPH_BREAK = /\n\s*\n/;
const SENTENCE_END = /(?<=[.!?])\s+(?=\S)/u;

/** Cuts text longer than `size` at word boundaries, and a word longer than `size` anywhere. */
function splitLong(text: string, size: number): string[] {
  if (text.length <= size) return [text];
  const pieces: string[] = [];
  let current = "";
  for (const word of text.split(/\s+/)) {
    if (word.length > size) {
      if (current) pieces.push(current);
      current = "";
      for (let start = 0; start < word.length; start += size) pieces.push(word.slice(start, start + size));
      continue;
    }
    const candidate = current ? `${current} ${word}` : word;
    if (candidate.length > size) {
      pieces.push(current);
      current = word;
    } else {
      current = candidate;
    }
  }
  if (current) pieces.push(current);
  return pieces;
}

/** Paragraphs, then lines, then sentences: the boundaries chunks prefer to fall on. */
function unitsOf(text: string, size: number): Unit[] {
  const units: Unit[] = [];
  text.split(PARAGRAPH_BREAK).forEach((paragraph, paragraphIndex) => {
    paragraph.split("\n").forEach((line, lineIndex) => {
      // A line break inside a paragraph (a list item, a table row) is kept as one.
      let separator = paragraphIndex > 0 && lineIndex === 0 ? "\n\n" : lineIndex > 0 ? "\n" : " ";
      for (const sentence of line.trim().split(SENTENCE_END)) {
        const clean = sentence.replace(/[ \t]+/g, " ").trim();
        if (!clean) continue;
        for (const piece of splitLong(clean, size)) {
          units.push({ text: piece, separator: units.length === 0 ? "" : separator });
          separator = " ";
        }
      }
    });
  });
  return units;
}

function joined(units: Unit[]): string {
  return units.map((unit, index) => (index === 0 ? unit.text : `${unit.separator}${unit.text}`)).join("");
}

/** The end of a chunk to repeat at the start of the next: whole sentences if they fit, else words. */
function overlapTail(units: Unit[], overlap: number): Unit[] {
  if (overlap <= 0) return [];
  const tail: Unit[] = [];
  let length = 0;
  for (let index = units.length - 1; index >= 0; index -= 1) {
    const unit = units[index] as Unit;
    const added = unit.text.length + (tail.length > 0 ? 1 : 0);
    if (length + added > overlap) break;
    tail.unshift({ ...unit });
    length += added;
  }
  if (tail.length > 0) return tail;
  const last = units.at(-1);
  if (!last) return [];
  const words = last.text.split(" ");
  let text = "";
  for (let index = words.length - 1; index >= 0; index -= 1) {
    const candidate = text ? `${words[index]} ${text}` : (words[index] ?? "");
    if (candidate.length > overlap) break;
    text = candidate;
  }
  return text ? [{ text, separator: " " }] : [];
}

/**
 * Splits a document into chunks of at most `size` characters that break at paragraph and sentence
 * boundaries where they can, each starting with up to `overlap` characters from the end of the
 * one before.
 */
export function chunkText(text: string, options: ChunkOptions): string[] {
  const size = Math.max(1, Math.floor(options.size));
  // An overlap as large as the chunk would never move forward.
  const overlap = Math.max(0, Math.min(Math.floor(options.overlap), Math.floor(size / 2)));
  const units = unitsOf(text.replace(/\r\n?/g, "\n"), size);
  const chunks: string[] = [];
  let current: Unit[] = [];
  let length = 0;
  let carried = 0;
  const lengthWith = (unit: Unit) =>
    length + (current.length > 0 ? unit.separator.length : 0) + unit.text.length;
  for (const unit of units) {
    if (current.length > carried && lengthWith(unit) > size) {
      chunks.push(joined(current));
      current = overlapTail(current, overlap);
      length = joined(current).length;
      while (current.length > 0 && lengthWith(unit) > size) {
        current.shift();
        length = joined(current).length;
      }
      carried = current.length;
    }
    length = lengthWith(unit);
    current.push(unit);
  }
  if (current.length > carried) chunks.push(joined(current));
  return chunks;
}
