import type { FastifyBaseLogger } from "fastify";
import type { Account } from "../accounts/account-service.ts";
import type { InstanceService } from "../agents/instance-service.ts";
import type { RunProducer } from "../agents/run-producer.ts";
import { createCaptureLeadTool } from "../agents/tools/capture-lead-tool.ts";
import { createGetProductTool } from "../agents/tools/get-product-tool.ts";
import { createSearchProductsTool } from "../agents/tools/search-products-tool.ts";
import type { ToolRegistry } from "../agents/tools/tool-registry.ts";
import type { DatabaseHandle } from "../db/client.ts";
import { type CatalogKnowledge, createCatalogIndex } from "./catalog-index.ts";
import { createLeadCapture } from "./lead-capture.ts";
import { createLeadStore, type LeadStore } from "./lead-store.ts";
import { createProductService, type ProductService } from "./product-service.ts";
import { createAskedQuestions } from "./qualification.ts";
import { createSalesProducer } from "./sales-producer.ts";
import { seedSampleCatalog } from "./sample-catalog.ts";

export interface Sales {
  products: ProductService;
  leads: LeadStore;
  /** search_products, get_product and capture_lead. */
  registerTools(tools: ToolRegistry): void;
  /** The sales type's producer around the model's tool loop. */
  producer(toolLoop: RunProducer): RunProducer;
  /** The sample catalog, for the demo account on first start. */
  seedDemo(account: Account): Promise<void>;
}

/** The sales agent type's parts, wired once in app.ts: catalog, leads, tools and producer. */
export function createSalesModule(dependencies: {
  database: DatabaseHandle;
  instances: InstanceService;
  knowledge: CatalogKnowledge;
  logger: FastifyBaseLogger;
}): Sales {
  const { database, logger } = dependencies;
  const index = createCatalogIndex(dependencies);
  const products = createProductService({ db: database.db, index });
  const leads = createLeadStore({ database });
  const captureLead = createLeadCapture(leads);
  return {
    products,
    leads,
    registerTools(tools) {
      tools.register("search_products", () => createSearchProductsTool(products.searchById));
      tools.register("get_product", () => createGetProductTool(products.findById));
      tools.register("capture_lead", () => createCaptureLeadTool(captureLead));
    },
    producer: (toolLoop) =>
      createSalesProducer({ toolLoop, captureLead, askedQuestions: createAskedQuestions(database), logger }),
    async seedDemo(account) {
      const report = await seedSampleCatalog(products, account);
      for (const failed of report?.knowledge.filter((entry) => entry.error) ?? []) {
        logger.warn({ agent: failed.agent, error: failed.error }, "the sample catalog was not indexed");
      }
    },
  };
}
