import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkText } from "../../src/knowledge/chunk-text.ts";

const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe("chunkText", () => {
  it("keeps a short document whole", () => {
    expect(chunkText("One sentence. Another one.", { size: 1_000, overlap: 150 })).toEqual([
      "One sentence. Another one.",
    ]);
  });

  it("breaks at sentence boundaries and repeats the previous chunk's last sentence", () => {
    const text =
      "Refunds take five days. Cards are refunded first. Bank transfers take longer. Ask billing for help.";
    const chunks = chunkText(text, { size: 55, overlap: 30 });
    expect(chunks).toEqual([
      "Refunds take five days. Cards are refunded first.",
      "Cards are refunded first. Bank transfers take longer.",
      "Bank transfers take longer. Ask billing for help.",
    ]);
  });

  it("keeps paragraph breaks inside a chunk and prefers to end a chunk at one", () => {
    const chunks = chunkText("First paragraph here.\n\nSecond paragraph here.\n\nThird one.", {
      size: 50,
      overlap: 0,
    });
    expect(chunks).toEqual(["First paragraph here.\n\nSecond paragraph here.", "Third one."]);
  });

  it("cuts a sentence longer than a chunk at word boundaries, and a giant word anywhere", () => {
    const chunks = chunkText(`${"word ".repeat(30).trim()} ${"x".repeat(25)}`, { size: 20, overlap: 0 });
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(20);
    expect(chunks.join(" ").replace(/\s+/g, "")).toBe(`${"word".repeat(30)}${"x".repeat(25)}`);
  });

  it("gives nothing for a document with no text", () => {
    expect(chunkText(" \n\n \t", { size: 200, overlap: 20 })).toEqual([]);
  });

  it("never exceeds the size, loses no word, keeps word order and moves forward", () => {
    const sentence = fc
      .array(fc.stringMatching(/^[a-z]{1,12}$/), { minLength: 1, maxLength: 25 })
      .map((parts) => `${parts.join(" ")}.`);
    const document = fc
      .array(fc.array(sentence, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 })
      .map((paragraphs) => paragraphs.map((sentences) => sentences.join(" ")).join("\n\n"));
    fc.assert(
      fc.property(
        document,
        fc.integer({ min: 40, max: 400 }),
        fc.integer({ min: 0, max: 200 }),
        (text, size, overlap) => {
          const chunks = chunkText(text, { size, overlap });
          for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(size);
          // Dropping each chunk's overlap with its predecessor gives the document back, word for word.
          const rebuilt: string[] = [];
          for (const chunk of chunks) {
            const chunkWords = words(chunk);
            let shared = Math.min(chunkWords.length - 1, rebuilt.length);
            while (shared > 0 && rebuilt.slice(-shared).join(" ") !== chunkWords.slice(0, shared).join(" "))
              shared -= 1;
            rebuilt.push(...chunkWords.slice(shared));
          }
          expect(rebuilt).toEqual(words(text));
        },
      ),
      { numRuns: 200 },
    );
  });
});
