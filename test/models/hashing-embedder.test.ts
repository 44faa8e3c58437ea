import { embedMany } from "ai";
import { describe, expect, it } from "vitest";
import { createHashingEmbeddingModel, embedText } from "../../src/models/hashing-embedder.ts";

const cosine = (left: ArrayLike<number>, right: ArrayLike<number>) => {
  let sum = 0;
  for (let index = 0; index < left.length; index += 1) sum += (left[index] ?? 0) * (right[index] ?? 0);
  return sum;
};
const norm = (vector: ArrayLike<number>) => Math.sqrt(cosine(vector, vector));

describe("embedText", () => {
  it("is deterministic and unit length", () => {
    const first = embedText("Refunds are accepted within 30 days.");
    const second = embedText("Refunds are accepted within 30 days.");

    expect(Array.from(second)).toEqual(Array.from(first));
    expect(norm(first)).toBeCloseTo(1, 5);
  });

  it("ignores case", () => {
    expect(Array.from(embedText("Postgres Database"))).toEqual(Array.from(embedText("postgres database")));
  });

  it("places similar texts closer than unrelated ones", () => {
    const question = embedText("How do refunds work?");
    const related = embedText("Refunds are accepted within 30 days of purchase.");
    const unrelated = embedText("Our office is in Berlin, next to the river.");

    expect(cosine(question, related)).toBeGreaterThan(cosine(question, unrelated));
    expect(cosine(embedText("postgres indexing"), embedText("PostgreSQL indexes"))).toBeGreaterThan(
      cosine(embedText("postgres indexing"), embedText("chocolate cake recipe")),
    );
  });

  it("gives the zero vector for text without words", () => {
    for (const text of ["", "   ", "?!…"]) {
      const vector = embedText(text);
      expect(vector.every((value) => value === 0)).toBe(true);
    }
  });

  it("respects the requested dimensions and rejects invalid ones", () => {
    expect(embedText("hello world", 64)).toHaveLength(64);
    expect(embedText("hello world")).toHaveLength(384);
    expect(() => embedText("hello", 0)).toThrow(RangeError);
  });

  it("handles non-Latin scripts", () => {
    const vector = embedText("Привет мир, こんにちは");
    expect(norm(vector)).toBeCloseTo(1, 5);
  });
});

describe("createHashingEmbeddingModel", () => {
  it("embeds through the AI SDK with the same vectors as embedText", async () => {
    const model = createHashingEmbeddingModel(128);
    const values = ["first chunk of text", "second chunk"];
    const { embeddings, usage } = await embedMany({ model, values });

    expect(model.modelId).toBe("hashing-128");
    expect(embeddings).toHaveLength(2);
    expect(embeddings[0]).toHaveLength(128);
    expect(embeddings[1]).toEqual(Array.from(embedText("second chunk", 128)));
    expect(usage.tokens).toBe(6);
  });
});
