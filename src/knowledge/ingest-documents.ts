import { createHash } from "node:crypto";
import { embedMany } from "ai";
import type { Account } from "../accounts/account-service.ts";
import { TIER_LIMITS, type VectorBackend } from "../accounts/tiers.ts";
import type { AgentInstance } from "../agents/instance-service.ts";
import type { AgentConfig } from "../config/agent-config.ts";
import { knowledgeDocuments } from "../db/schema.ts";
import { DocumentUnreadableError, KnowledgeLimitReachedError } from "../errors/app-error.ts";
import type { ModelRegistry } from "../models/model-registry.ts";
import { chunkId, type MetadataValue, type VectorRecord } from "../vector/vector-store.ts";
import type { VectorStores } from "../vector/vector-stores.ts";
import { chunkText } from "./chunk-text.ts";
import type { DocumentRow, KnowledgeCatalog } from "./knowledge-catalog.ts";

/** Texts per embedding call: big enough to amortise a provider round trip, small enough to report progress. */
const EMBEDDING_BATCH = 256;

export interface DocumentInput {
  title: string;
  /** Plain text (already converted from markdown, HTML or PDF). */
  text: string;
  source: string | null;
  metadata: Record<string, MetadataValue>;
}

export type IngestStatus = "created" | "replaced" | "unchanged";

export interface IngestedDocument {
  id: string;
  title: string;
  source: string | null;
  status: IngestStatus;
  chunks: number;
  hash: string;
}

export interface IngestReport {
  agent: string;
  backend: VectorBackend;
  documents: IngestedDocument[];
  /** Chunks stored by this request. */
  chunks_added: number;
  /** The account's chunks afterwards, across all its instances, and the tier's limit. */
  chunks_total: number;
  chunks_limit: number;
}

export interface IngestProgress {
  phase: "embedding" | "storing" | "done";
  done: number;
  total: number;
}

interface Prepared extends DocumentInput {
  hash: string;
  chunks: string[];
}

export function contentHash(text: string): string {
  return createHash("sha256").update(text.replace(/\r\n?/g, "\n").trim()).digest("hex");
}

/** A pending row this old was left by an ingestion that died; a newer one is still being stored. */
const ABANDONED_AFTER_MS = 15 * 60_000;

type Plan =
  | { kind: "unchanged"; document: Prepared; id: string; chunks: number }
  | { kind: "store"; document: Prepared; replaces: DocumentRow[] };

/** What to do with each incoming document, given the catalog rows that share its text or source. */
function planDocuments(prepared: Prepared[], matches: DocumentRow[], now: number): Plan[] {
  const plans: Plan[] = [];
  const planned = new Map<string, Plan>();
  for (const document of prepared) {
    const sameText = matches.find(
      (row) =>
        row.contentHash === document.hash &&
        (row.status === "ready" || now - row.updatedAt.getTime() < ABANDONED_AFTER_MS),
    );
    const earlier = planned.get(document.hash);
    if (sameText || earlier) {
      const chunks = sameText?.chunkCount ?? earlier?.document.chunks.length ?? 0;
      plans.push({ kind: "unchanged", document, id: sameText?.id ?? "", chunks });
      continue;
    }
    const replaces = matches.filter(
      (row) =>
        row.contentHash === document.hash || (document.source !== null && row.source === document.source),
    );
    const plan: Plan = { kind: "store", document, replaces };
    planned.set(document.hash, plan);
    plans.push(plan);
  }
  return plans;
}

export function createIngestion(dependencies: {
  catalog: KnowledgeCatalog;
  stores: VectorStores;
  models: ModelRegistry;
}) {
  const { catalog, stores, models } = dependencies;

  async function embedChunks(
    texts: string[],
    onProgress: (progress: IngestProgress) => void,
  ): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += EMBEDDING_BATCH) {
      const { embeddings } = await embedMany({
        model: models.embeddingModel(),
        values: texts.slice(start, start + EMBEDDING_BATCH),
      });
      vectors.push(...embeddings);
      onProgress({ phase: "embedding", done: vectors.length, total: texts.length });
    }
    return vectors;
  }

  /**
   * Stores documents in an instance's knowledge base. Each is chunked, embedded and stored in the
   * backend the account's tier resolves to. A document whose text is already there is left alone
   * ("unchanged"); one with a known source but new text replaces the old version. Either every new
   * document is stored or none is: the tier's chunk limit is checked and the catalog rows reserved
   * under a lock first, and a failure afterwards removes whatever was written.
   */
  async function ingest(
    account: Account,
    instance: AgentInstance,
    config: AgentConfig,
    documents: DocumentInput[],
    onProgress: (progress: IngestProgress) => void = () => {},
  ): Promise<IngestReport> {
    const target = stores.config(account, instance);
    const limit = TIER_LIMITS[account.tier].knowledge_chunks;
    const options = { size: config.knowledge_base.chunk_size, overlap: config.knowledge_base.chunk_overlap };
    const prepared: Prepared[] = documents.map((document) => {
      const chunks = chunkText(document.text, options);
      if (chunks.length === 0) {
        throw new DocumentUnreadableError(`Document "${document.title}" has no text to ingest`);
      }
      return { ...document, hash: contentHash(document.text), chunks };
    });

    const reserved = await catalog.underAccountLock(account.id, async (transaction) => {
      const matches = await catalog.matching(
        transaction,
        account.id,
        instance.id,
        prepared.map((document) => document.hash),
        prepared.flatMap((document) => (document.source === null ? [] : [document.source])),
      );
      const plans = planDocuments(prepared, matches, Date.now());
      const storing = plans.filter((plan) => plan.kind === "store");
      const adding = storing.reduce((sum, plan) => sum + plan.document.chunks.length, 0);
      const freed = new Set(storing.flatMap((plan) => plan.replaces));
      const freedChunks = [...freed].reduce((sum, row) => sum + row.chunkCount, 0);
      const total = (await catalog.chunkTotal(transaction, account.id)) - freedChunks + adding;
      if (adding > 0 && total > limit) {
        throw new KnowledgeLimitReachedError(
          `The ${account.tier} tier allows ${limit} knowledge chunks; this would make ${total}. Nothing was stored; delete documents or upgrade the tier`,
          { details: { tier: account.tier, limit, total_after: total, requested: adding } },
        );
      }
      // Abandoned reservations of the same text would collide with the new rows: they go now.
      const abandoned = [...freed].filter((row) => row.status === "pending").map((row) => row.id);
      await catalog.remove(account.id, abandoned, transaction);
      const rows =
        storing.length === 0
          ? []
          : await transaction
              .insert(knowledgeDocuments)
              .values(
                storing.map(({ document }) => ({
                  accountId: account.id,
                  instanceId: instance.id,
                  title: document.title,
                  source: document.source,
                  contentHash: document.hash,
                  chunkCount: document.chunks.length,
                  metadata: document.metadata,
                  backend: target.backend,
                })),
              )
              .returning();
      return { plans, rows, replaced: [...freed], total };
    });

    const { plans, rows, replaced } = reserved;
    const rowOf = new Map(rows.map((row) => [row.contentHash, row]));
    const store = stores.open(account, instance, target.backend);
    const storing = plans.flatMap((plan) => (plan.kind === "store" ? [plan.document] : []));
    try {
      const texts = storing.flatMap((document) =>
        document.chunks.map((chunk) => `${document.title}\n${chunk}`),
      );
      const vectors = await embedChunks(texts, onProgress);
      const records: VectorRecord[] = [];
      for (const document of storing) {
        const documentId = rowOf.get(document.hash)?.id ?? "";
        document.chunks.forEach((content, index) => {
          records.push({
            id: chunkId(documentId, index),
            document_id: documentId,
            chunk_index: index,
            title: document.title,
            source: document.source,
            content,
            metadata: document.metadata,
            values: vectors[records.length] ?? [],
          });
        });
      }
      onProgress({ phase: "storing", done: 0, total: records.length });
      await store.upsert(records);
      await catalog.markReady(
        account.id,
        rows.map((row) => row.id),
        replaced.filter((row) => row.status === "ready").map((row) => row.id),
      );
    } catch (error) {
      await Promise.allSettled(rows.map((row) => store.deleteDocument(row.id)));
      await catalog.remove(
        account.id,
        rows.map((row) => row.id),
      );
      throw error;
    }
    // The old versions' rows are gone; their vectors go now. A failure here leaves vectors no
    // catalog row points to, which search never returns.
    await Promise.allSettled(
      replaced.map((row) => stores.open(account, instance, row.backend).deleteDocument(row.id)),
    );

    const added = storing.reduce((sum, document) => sum + document.chunks.length, 0);
    onProgress({ phase: "done", done: added, total: added });
    return {
      agent: instance.slug,
      backend: target.backend,
      documents: plans.map((plan) => {
        const { document } = plan;
        const base = { title: document.title, source: document.source, hash: document.hash };
        if (plan.kind === "unchanged") {
          // A repeat inside this request points at the copy stored a moment ago.
          const id = plan.id || (rowOf.get(document.hash)?.id ?? "");
          return { ...base, id, status: "unchanged", chunks: plan.chunks };
        }
        const status = plan.replaces.some((row) => row.status === "ready") ? "replaced" : "created";
        return { ...base, id: rowOf.get(document.hash)?.id ?? "", status, chunks: document.chunks.length };
      }),
      chunks_added: added,
      chunks_total: reserved.total,
      chunks_limit: limit,
    };
  }

  return { ingest };
}

export type Ingestion = ReturnType<typeof createIngestion>;
