import { createHash } from "node:crypto";

/** PostgreSQL truncates identifiers beyond 63 bytes; longer names get a hash suffix instead. */
const POSTGRES_IDENTIFIER_LIMIT = 63;
/** Pinecone index names plus the project id must fit in 52 characters; 45 leaves room for it. */
const PINECONE_INDEX_NAME_LIMIT = 45;

const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

function assertSlug(slug: string, what: string): void {
  if (!SLUG_PATTERN.test(slug)) throw new TypeError(`${what} must be a slug ([a-z0-9-]), got "${slug}"`);
}

function shortHash(text: string, length: number): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** Keeps the readable start of a long name and makes it unique with a hash of the whole. */
function fitted(name: string, limit: number, separator: string): string {
  if (name.length <= limit) return name;
  const suffix = shortHash(name, 10);
  return `${name.slice(0, limit - suffix.length - separator.length)}${separator}${suffix}`;
}

/**
 * `vectors_account_{account}_{instance}`. Slugs never contain `_`, so the separator keeps two
 * account/instance pairs from ever sharing a name.
 */
export function pgvectorTableName(accountSlug: string, instanceSlug: string): string {
  assertSlug(accountSlug, "account slug");
  assertSlug(instanceSlug, "instance slug");
  return fitted(`vectors_account_${accountSlug}_${instanceSlug}`, POSTGRES_IDENTIFIER_LIMIT, "_");
}

/** Index names derived from the table's, always short enough (the table name may be 63 long). */
export function pgvectorIndexName(tableName: string, purpose: "hnsw" | "fts" | "document"): string {
  return `vectors_${shortHash(tableName, 16)}_${purpose}`;
}

/**
 * The account-instance namespace in a shared (or dedicated) Pinecone index. `account-a-b-c` could
 * be account `a-b` + instance `c` or account `a` + instance `b-c`; in a shared index that would be
 * two tenants in one namespace, so the instance is joined with `_`, which no slug contains.
 */
export function pineconeNamespace(accountSlug: string, instanceSlug: string): string {
  assertSlug(accountSlug, "account slug");
  assertSlug(instanceSlug, "instance slug");
  return `account-${accountSlug}_${instanceSlug}`;
}

/** `dedicated-{account}`, shortened with a hash when the slug is too long for Pinecone. */
export function dedicatedIndexName(accountSlug: string): string {
  assertSlug(accountSlug, "account slug");
  return fitted(`dedicated-${accountSlug}`, PINECONE_INDEX_NAME_LIMIT, "-");
}
