import { embed } from "ai";
import type { Tier } from "../accounts/tiers.ts";
import type { ModelRegistry } from "../models/model-registry.ts";
import type { VectorMatch } from "../vector/vector-store.ts";
import type { VectorStores } from "../vector/vector-stores.ts";
import type { KnowledgeCatalog } from "./knowledge-catalog.ts";

export interface KnowledgeResult {
  title: string;
  content: string;
  source: string | null;
  score: number;
  document_id: string;
}

export interface SearchScope {
  account: { id: string; slug: string; tier: Tier };
  instance: { id: string; slug: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createKnowledgeSearch(dependencies: {
  catalog: KnowledgeCatalog;
  stores: VectorStores;
  models: ModelRegistry;
}) {
  const { catalog, stores, models } = dependencies;

  /**
   * The passages of one instance's knowledge base that best answer `query`. The scope is never
   * taken from the caller's arguments but from who is asking (the agent context, the
   * authenticated request), and every store it reads belongs to that account and instance.
   */
  async function search(
    scope: SearchScope,
    query: string,
    options: { topK: number; minScore?: number },
  ): Promise<KnowledgeResult[]> {
    const { account, instance } = scope;
    // Documents say where their vectors are: normally one backend, two while a tier change moves them.
    const backends = await catalog.backendsOf(account.id, instance.id);
    if (backends.length === 0 || query.trim() === "") return [];
    const { embedding } = await embed({ model: models.embeddingModel(), value: query });
    const found: VectorMatch[][] = await Promise.all(
      backends.map((backend) =>
        stores.open(account, instance, backend).query({ vector: embedding, text: query, topK: options.topK }),
      ),
    );
    // Results keep each store's order; stores are merged by similarity.
    const matches =
      found.length === 1 ? (found[0] ?? []) : found.flat().sort((left, right) => right.score - left.score);
    // Vectors of a document being replaced or deleted can outlive its catalog row for a moment.
    const ids = [...new Set(matches.map((match) => match.document_id).filter((id) => UUID.test(id)))];
    const listed = await catalog.readyAmong(account.id, instance.id, ids);
    const minScore = options.minScore ?? 0;
    return matches
      .filter((match) => listed.has(match.document_id) && (minScore <= 0 || match.score >= minScore))
      .slice(0, options.topK)
      .map((match) => ({
        title: match.title,
        content: match.content,
        source: match.source,
        score: Math.round(match.score * 10_000) / 10_000,
        document_id: match.document_id,
      }));
  }

  return { search };
}

export type KnowledgeSearch = ReturnType<typeof createKnowledgeSearch>;
