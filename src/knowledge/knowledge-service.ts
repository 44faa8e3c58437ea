import type { Account, AccountService } from "../accounts/account-service.ts";
import type { AgentInstance, InstanceService } from "../agents/instance-service.ts";
import type { AgentConfig } from "../config/agent-config.ts";
import type { DatabaseHandle } from "../db/client.ts";
import { KnowledgeBaseDisabledError, KnowledgeDocumentNotFoundError } from "../errors/app-error.ts";
import type { ModelRegistry } from "../models/model-registry.ts";
import type { VectorConfig } from "../vector/tier-policy.ts";
import { createVectorStores, type VectorStores } from "../vector/vector-stores.ts";
import {
  createIngestion,
  type DocumentInput,
  type IngestProgress,
  type IngestReport,
} from "./ingest-documents.ts";
import { createKnowledgeCatalog, type KnowledgeDocument, toKnowledgeDocument } from "./knowledge-catalog.ts";
import type { KnowledgeSettings } from "./knowledge-settings.ts";
import { createMigrationRecords } from "./migration-records.ts";
import { createKnowledgeSearch, type KnowledgeResult } from "./search-knowledge.ts";
import { createTierMigration } from "./tier-migration.ts";

/** Who is searching, as the agent context knows it. */
export interface SearchingAgent {
  accountId: string;
  instanceId: string;
  /** `type/slug` */
  agentSchema: string;
}

export type KnowledgeService = ReturnType<typeof createKnowledgeService>;

/** Knowledge bases: ingestion, listing, deletion, search and tier moves, built once in app.ts. */
export function createKnowledgeService(dependencies: {
  database: DatabaseHandle;
  accounts: AccountService;
  instances: InstanceService;
  models: ModelRegistry;
  settings: KnowledgeSettings;
  stores?: VectorStores;
}) {
  const { database, accounts, instances, models, settings } = dependencies;
  const stores = dependencies.stores ?? createVectorStores({ database, pinecone: settings.pinecone });
  const catalog = createKnowledgeCatalog(database.db);
  const ingestion = createIngestion({ catalog, stores, models });
  const searcher = createKnowledgeSearch({ catalog, stores, models });
  const migration = createTierMigration({
    accounts,
    instances,
    catalog,
    stores,
    records: createMigrationRecords(database.db),
  });

  async function knowledgeInstance(
    account: Account,
    slug: string,
  ): Promise<{ instance: AgentInstance; config: AgentConfig }> {
    const instance = await instances.get(account, slug);
    const resolution = instances.effectiveConfig(instance);
    if (!resolution.ok) throw resolution.error;
    if (!resolution.config.knowledge_base.enabled) {
      throw new KnowledgeBaseDisabledError(
        `Agent "${slug}" has no knowledge base; set knowledge_base.enabled in its config to ingest documents`,
      );
    }
    return { instance, config: resolution.config };
  }

  async function ingest(
    account: Account,
    agent: string,
    documents: DocumentInput[],
    onProgress?: (progress: IngestProgress) => void,
  ): Promise<IngestReport> {
    const { instance, config } = await knowledgeInstance(account, agent);
    return ingestion.ingest(account, instance, config, documents, onProgress);
  }

  async function list(account: Account, agent: string): Promise<KnowledgeDocument[]> {
    const instance = await instances.get(account, agent);
    return (await catalog.list(account.id, instance.id)).map(toKnowledgeDocument);
  }

  /** Deletes a document's vectors (wherever they are) and then its catalog row. */
  async function remove(account: Account, agent: string, documentId: string): Promise<KnowledgeDocument> {
    const instance = await instances.get(account, agent);
    const row = await catalog.find(account.id, instance.id, documentId);
    if (!row)
      throw new KnowledgeDocumentNotFoundError(`Document "${documentId}" not found in agent "${agent}"`);
    await stores.open(account, instance, row.backend).deleteDocument(row.id);
    await catalog.remove(account.id, [row.id]);
    return toKnowledgeDocument(row);
  }

  /** What the search_knowledge tool calls: the scope comes from the run's context, never from the model. */
  async function searchAs(
    agent: SearchingAgent,
    query: string,
    options: { topK: number; minScore?: number },
  ): Promise<KnowledgeResult[]> {
    const account = await accounts.findById(agent.accountId);
    const slug = agent.agentSchema.split("/")[1];
    if (!account || !slug) return [];
    return searcher.search({ account, instance: { id: agent.instanceId, slug } }, query, options);
  }

  /** An instance as search needs it: its id and its knowledge_base settings. */
  async function instanceOf(account: Account, slug: string) {
    const instance = await instances.get(account, slug);
    const resolution = instances.effectiveConfig(instance);
    const settings = resolution.ok ? resolution.config.knowledge_base : { top_k: 5, min_score: 0 };
    return { id: instance.id, slug: instance.slug, topK: settings.top_k, minScore: settings.min_score };
  }

  function describe(account: Account, instance: { slug: string }): VectorConfig {
    return stores.config(account, instance);
  }

  return {
    ingest,
    list,
    remove,
    search: searcher.search,
    searchAs,
    instanceOf,
    describe,
    changeTier: migration.changeTier,
    migrationStatus: migration.status,
    allowOutboundFetch: settings.allowOutboundFetch,
    uploadLimitBytes: settings.uploadLimitBytes,
  };
}
