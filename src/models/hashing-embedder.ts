import type { EmbeddingModelV3 } from "@ai-sdk/provider";
import { countTokens } from "./offline/tokens.ts";

export const DEFAULT_EMBEDDING_DIMENSIONS = 384;

// Whole words say most about meaning; character trigrams only help near-misses
// ("refund"/"refunds", typos) and word pairs add a little phrase order.
const WORD_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.6;
const TRIGRAM_WEIGHT = 0.25;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const TRIGRAM_OFFSET = 0x2f6b1a3d;
const BUCKET_SEED = 0x9e3779b9;
const SIGN_SEED = 0x7f4a7c15;
const WORD_START = 0x02;
const WORD_END = 0x03;

/**
 * A deterministic text embedding without a model: lowercase word unigrams, word bigrams and
 * boundary-padded character trigrams are hashed into `dimensions` buckets with a hashed sign
 * (so collisions cancel out instead of piling up), then L2-normalised. Empty text gives zeros.
 */
export function embedText(text: string, dimensions: number = DEFAULT_EMBEDDING_DIMENSIONS): Float32Array {
  assertDimensions(dimensions);
  const vector = new Float32Array(dimensions);
  accumulateFeatures(text.toLowerCase(), vector);
  normalise(vector);
  return vector;
}

/** The embedder as an AI SDK embedding model, for `embed`/`embedMany` and the provider registry. */
export function createHashingEmbeddingModel(
  dimensions: number = DEFAULT_EMBEDDING_DIMENSIONS,
): EmbeddingModelV3 {
  assertDimensions(dimensions);
  return {
    specificationVersion: "v3",
    provider: "switchboard",
    modelId: `hashing-${dimensions}`,
    maxEmbeddingsPerCall: Number.POSITIVE_INFINITY,
    supportsParallelCalls: true,
    async doEmbed({ values, abortSignal }) {
      abortSignal?.throwIfAborted();
      let tokens = 0;
      const embeddings = values.map((value) => {
        tokens += countTokens(value);
        return Array.from(embedText(value, dimensions));
      });
      return { embeddings, usage: { tokens }, warnings: [] };
    },
  };
}

function assertDimensions(dimensions: number): void {
  if (!Number.isInteger(dimensions) || dimensions <= 0) {
    throw new RangeError(`Embedding dimensions must be a positive integer, got ${dimensions}`);
  }
}

/** Scans the text once, hashing features straight from char codes (no substrings). */
function accumulateFeatures(text: string, vector: Float32Array): void {
  const length = text.length;
  let index = 0;
  let previousWord = 0;
  let hasPreviousWord = false;
  while (index < length) {
    while (index < length && !isWordCode(text.charCodeAt(index))) index += 1;
    if (index >= length) break;
    const start = index;
    let wordHash = FNV_OFFSET;
    while (index < length && isWordCode(text.charCodeAt(index))) {
      wordHash = Math.imul(wordHash ^ text.charCodeAt(index), FNV_PRIME);
      index += 1;
    }
    wordHash >>>= 0;
    addFeature(vector, wordHash, WORD_WEIGHT);
    if (hasPreviousWord) {
      addFeature(
        vector,
        mix32(Math.imul(previousWord, 0x01000193) ^ mix32(wordHash ^ 0x5bd1e995)),
        BIGRAM_WEIGHT,
      );
    }
    previousWord = wordHash;
    hasPreviousWord = true;
    addTrigrams(text, start, index, vector);
  }
}

/** Trigrams of the word padded as "^word$": a word of n characters gives n trigrams. */
function addTrigrams(text: string, start: number, end: number, vector: Float32Array): void {
  const wordLength = end - start;
  for (let offset = 0; offset < wordLength; offset += 1) {
    const first = offset === 0 ? WORD_START : text.charCodeAt(start + offset - 1);
    const second = text.charCodeAt(start + offset);
    const third = offset + 1 === wordLength ? WORD_END : text.charCodeAt(start + offset + 1);
    let hash = Math.imul(TRIGRAM_OFFSET ^ first, FNV_PRIME);
    hash = Math.imul(hash ^ second, FNV_PRIME);
    hash = Math.imul(hash ^ third, FNV_PRIME);
    addFeature(vector, hash >>> 0, TRIGRAM_WEIGHT);
  }
}

function addFeature(vector: Float32Array, hash: number, weight: number): void {
  const bucket = mix32(hash ^ BUCKET_SEED) % vector.length;
  const sign = mix32(hash ^ SIGN_SEED) & 1 ? -1 : 1;
  vector[bucket] = (vector[bucket] ?? 0) + sign * weight;
}

/** MurmurHash3's finaliser: spreads every input bit over the output, so bucket and sign are independent. */
function mix32(value: number): number {
  let hash = value >>> 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Letters and digits of any script; ASCII is decided by ranges, other scripts minus their punctuation blocks. */
function isWordCode(code: number): boolean {
  if (code < 0x80)
    return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a);
  if (code < 0xc0) return code === 0xaa || code === 0xb5 || code === 0xba;
  if (code === 0xd7 || code === 0xf7) return false;
  if (code >= 0x2000 && code <= 0x2bff) return false;
  if (code >= 0x3000 && code <= 0x303f) return false;
  if (code >= 0xfe30 && code <= 0xfe4f) return false;
  if (code >= 0xff00 && code <= 0xff0f) return false;
  return code !== 0xfeff;
}

function normalise(vector: Float32Array): void {
  let sumOfSquares = 0;
  for (let index = 0; index < vector.length; index += 1) {
    const value = vector[index] ?? 0;
    sumOfSquares += value * value;
  }
  if (sumOfSquares === 0) return;
  const scale = 1 / Math.sqrt(sumOfSquares);
  for (let index = 0; index < vector.length; index += 1) {
    vector[index] = (vector[index] ?? 0) * scale;
  }
}
