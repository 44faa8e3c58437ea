import { type SQL, sql } from "drizzle-orm";
import type { MetadataFilter, MetadataValue } from "./vector-store.ts";

/** Reciprocal rank fusion's constant: ranks beyond the first few matter less, never nothing. */
const RRF_K = 60;
/**
 * Ranking reads every matching row's tsvector; a common word can match most of a large table, so
 * at most this many matches are ranked (all of them in a typical knowledge base).
 */
const KEYWORD_MATCHES_RANKED = 300;
/** Keyword search uses at most this many words of the question. */
const MAX_KEYWORDS = 32;

/**
 * `[0.1,-0.02,…]` for pgvector. Seven decimals keep far more precision than cosine ranking needs
 * while keeping the statement (and the server's parsing) about half as long as full doubles.
 */
export function vectorLiteral(values: ArrayLike<number>): string {
  let text = "[";
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index] ?? 0;
    if (!Number.isFinite(value)) throw new RangeError("vector values must be finite numbers");
    if (index > 0) text += ",";
    // Sparse embeddings are mostly zeros: the cheapest case to print and for the server to parse.
    text += value === 0 ? "0" : String(Math.round(value * 1e7) / 1e7);
  }
  return `${text}]`;
}

export function parseVectorText(text: string): number[] {
  return JSON.parse(text) as number[];
}

const COLUMN_FIELDS = new Set(["document_id", "title", "source"]);

function fieldCondition(key: string, value: MetadataValue): SQL {
  if (COLUMN_FIELDS.has(key)) {
    return typeof value === "string" ? sql`${sql.identifier(key)} = ${value}` : sql`false`;
  }
  if (key === "chunk_index") {
    return typeof value === "number" && Number.isInteger(value) ? sql`chunk_index = ${value}` : sql`false`;
  }
  // Containment compares types too, as Pinecone does: 1 does not match "1".
  return sql`metadata @> ${JSON.stringify({ [key]: value })}::jsonb`;
}

/** The filter as a WHERE condition over the vector table's columns and metadata. */
export function filterCondition(filter: MetadataFilter | undefined): SQL {
  const conditions: SQL[] = [];
  for (const [key, expected] of Object.entries(filter ?? {})) {
    if (typeof expected === "object") {
      const alternatives = expected.$in.map((value) => fieldCondition(key, value));
      conditions.push(alternatives.length === 0 ? sql`false` : sql`(${sql.join(alternatives, sql` or `)})`);
    } else {
      conditions.push(fieldCondition(key, expected));
    }
  }
  return conditions.length === 0 ? sql`true` : sql.join(conditions, sql` and `);
}

/**
 * The question's words OR-ed for `to_tsquery`: a passage that shares some of the words should
 * rank, not only one that has all of them. Only letters and digits pass, so the tsquery syntax
 * cannot be injected; the English configuration drops stop words and stems the rest.
 */
export function keywordQuery(text: string | undefined): string | null {
  const words = (text ?? "").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const unique = [...new Set(words)].slice(0, MAX_KEYWORDS);
  return unique.length === 0 ? null : unique.join(" | ");
}

const SELECTED_COLUMNS = sql`id, document_id, chunk_index, title, source, content, metadata`;

/**
 * The query vector, parsed once: a 384-number literal costs the server more to read than a
 * small HNSW search does, and as an InitPlan parameter it still drives the index scan.
 */
function withQueryVector(vector: string): SQL {
  return sql`with query_vector as materialized (select ${vector}::vector as v)`;
}
const QUERY_VECTOR = sql`(select v from query_vector)`;
const KEYWORD_QUERY = sql`(select q from keyword_query)`;

/** Nearest neighbours by cosine distance; HNSW serves the ORDER BY … LIMIT. */
export function vectorQuery(table: string, vector: string, filter: SQL, topK: number): SQL {
  const name = sql.identifier(table);
  return sql`${withQueryVector(vector)}
    select ${SELECTED_COLUMNS}, 1 - (embedding <=> ${QUERY_VECTOR}) as score
    from ${name} where ${filter}
    order by embedding <=> ${QUERY_VECTOR} limit ${topK}`;
}

/**
 * Hybrid search: the vector neighbours and the keyword matches, each ranked, fused by reciprocal
 * rank (a passage found both ways rises to the top). The score reported stays the cosine
 * similarity, so it means the same with or without the keyword half.
 */
export function hybridQuery(
  table: string,
  vector: string,
  keywords: string,
  filter: SQL,
  topK: number,
  candidates: number,
): SQL {
  const name = sql.identifier(table);
  // Parsed once too: to_tsquery is only stable, so inline it would be parsed again for every row ranked.
  return sql`${withQueryVector(vector)}, keyword_query as materialized (select to_tsquery('english', ${keywords}) as q),
    vector_hits as (
      select id, row_number() over (order by distance) as rank from (
        select id, embedding <=> ${QUERY_VECTOR} as distance from ${name}
        where ${filter} order by embedding <=> ${QUERY_VECTOR} limit ${candidates}
      ) nearest
    ), keyword_hits as (
      select id, row_number() over (order by relevance desc, id) as rank from (
        select id, ts_rank_cd(search, ${KEYWORD_QUERY}) as relevance from (
          select id, search from ${name}
          where search @@ ${KEYWORD_QUERY} and ${filter} limit ${KEYWORD_MATCHES_RANKED}
        ) matching
        order by relevance desc limit ${candidates}
      ) matched
    ), fused as (
      select id, sum(1.0 / (${RRF_K} + rank)) as fused_score from (
        select id, rank from vector_hits union all select id, rank from keyword_hits
      ) hits group by id
    )
    select ${name}.id, document_id, chunk_index, title, source, content, metadata,
      1 - (embedding <=> ${QUERY_VECTOR}) as score
    from fused join ${name} on ${name}.id = fused.id
    order by fused.fused_score desc, score desc limit ${topK}`;
}
