import type { FastifyBaseLogger } from "fastify";
import type { Account } from "../accounts/account-service.ts";
import type { InstanceService } from "../agents/instance-service.ts";
import { AppError } from "../errors/app-error.ts";
import type { DocumentInput, IngestReport } from "../knowledge/ingest-documents.ts";
import type { KnowledgeDocument } from "../knowledge/knowledge-catalog.ts";
import type { Product } from "./product-store.ts";

/** The part of the knowledge service the catalog needs. */
export interface CatalogKnowledge {
  ingest(account: Account, agent: string, documents: DocumentInput[]): Promise<IngestReport>;
  list(account: Account, agent: string): Promise<KnowledgeDocument[]>;
  remove(account: Account, agent: string, documentId: string): Promise<KnowledgeDocument>;
}

/** What happened in one sales instance's knowledge base. */
export interface CatalogIndexReport {
  agent: string;
  /** Product documents stored or replaced. */
  indexed: number;
  unchanged: number;
  removed: number;
  /** Indexing is a copy of the catalog: a failure is reported here, and the catalog write stands. */
  error?: { code: string; message: string };
}

/** Each product is one document, found again by its source whatever its text became. */
export function productSource(sku: string): string {
  return `product:${sku}`;
}

function attributeText(value: unknown): string {
  if (Array.isArray(value)) return value.map(attributeText).join(", ");
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

export function productDocument(product: Product): DocumentInput {
  const attributes = Object.entries(product.attributes).map(
    ([key, value]) => `${key}: ${attributeText(value)}`,
  );
  const lines = [
    `${product.name} (SKU ${product.sku}) costs ${product.price} ${product.currency}.`,
    product.description,
    attributes.length > 0 ? `${attributes.join("; ")}.` : "",
  ];
  return {
    title: product.name,
    text: lines.filter((line) => line.length > 0).join("\n"),
    source: productSource(product.sku),
    metadata: { kind: "product", sku: product.sku, price: product.price, currency: product.currency },
  };
}

export type CatalogIndex = ReturnType<typeof createCatalogIndex>;

/**
 * Keeps the catalog in the knowledge base of every sales instance of the account that has one,
 * so search_knowledge (and anything reading the knowledge base) sees the products too. Ingestion
 * is idempotent by content hash: an unchanged product costs no embedding.
 */
export function createCatalogIndex(dependencies: {
  instances: InstanceService;
  knowledge: CatalogKnowledge;
  logger: FastifyBaseLogger;
}) {
  const { instances, knowledge, logger } = dependencies;

  async function salesAgents(account: Account): Promise<string[]> {
    const live = await instances.listLive(account);
    return live
      .filter((instance) => {
        if (instance.type !== "sales") return false;
        const resolution = instances.effectiveConfig(instance);
        return resolution.ok && resolution.config.knowledge_base.enabled;
      })
      .map((instance) => instance.slug);
  }

  async function forEachAgent(
    account: Account,
    work: (agent: string, report: CatalogIndexReport) => Promise<void>,
  ): Promise<CatalogIndexReport[]> {
    const reports: CatalogIndexReport[] = [];
    for (const agent of await salesAgents(account)) {
      const report: CatalogIndexReport = { agent, indexed: 0, unchanged: 0, removed: 0 };
      try {
        await work(agent, report);
      } catch (error) {
        if (!AppError.isInstance(error)) logger.error({ err: error, agent }, "indexing the catalog failed");
        report.error = AppError.isInstance(error)
          ? { code: error.code, message: error.message }
          : {
              code: "CATALOG_INDEX_FAILED",
              message: "The products could not be indexed into the knowledge base",
            };
      }
      reports.push(report);
    }
    return reports;
  }

  function index(account: Account, changed: Product[]): Promise<CatalogIndexReport[]> {
    if (changed.length === 0) return Promise.resolve([]);
    return forEachAgent(account, async (agent, report) => {
      const result = await knowledge.ingest(account, agent, changed.map(productDocument));
      for (const document of result.documents) {
        if (document.status === "unchanged") report.unchanged += 1;
        else report.indexed += 1;
      }
    });
  }

  function unindex(account: Account, sku: string): Promise<CatalogIndexReport[]> {
    const source = productSource(sku);
    return forEachAgent(account, async (agent, report) => {
      const documents = await knowledge.list(account, agent);
      for (const document of documents.filter((candidate) => candidate.source === source)) {
        await knowledge.remove(account, agent, document.id);
        report.removed += 1;
      }
    });
  }

  return { index, unindex };
}
