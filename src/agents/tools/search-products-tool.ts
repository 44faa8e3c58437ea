import { tool } from "ai";
import { z } from "zod";
import { type CatalogEntry, toCatalogEntry } from "../../sales/product-service.ts";
import type { Product } from "../../sales/product-store.ts";
import { requireCurrentContext } from "../agent-context.ts";

const DEFAULT_RESULTS = 10;

export const SearchProductsInputSchema = z.object({
  query: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .describe(
      "Product words from the customer's question (a name, a feature, a SKU); 'plans' lists the catalog",
    ),
  max_results: z
    .number()
    .int()
    .min(1)
    .max(50)
    .optional()
    .describe(`How many products at most (${DEFAULT_RESULTS})`),
});

export type ProductSearcher = (accountId: string, query: string, limit: number) => Promise<Product[]>;

/**
 * Keyword search over the run's account's catalog. The account comes from the agent context, so
 * no argument can reach another tenant's products.
 */
export function createSearchProductsTool(search: ProductSearcher) {
  return tool({
    description:
      "Search the product catalog by name, SKU, description and attributes; a general question " +
      "('what plans do you offer?') returns the whole catalog. Results carry the exact price and " +
      "currency: quote prices only from here or get_product, never from memory. Empty results mean no " +
      "such product.",
    inputSchema: SearchProductsInputSchema,
    execute: async (input): Promise<{ results: CatalogEntry[] }> => {
      const context = requireCurrentContext();
      const found = await search(context.accountId, input.query, input.max_results ?? DEFAULT_RESULTS);
      return { results: found.map(toCatalogEntry) };
    },
  });
}
