import { tool } from "ai";
import { z } from "zod";
import { SKU_PATTERN } from "../../sales/product-input.ts";
import { type CatalogEntry, toCatalogEntry } from "../../sales/product-service.ts";
import type { Product } from "../../sales/product-store.ts";
import { requireCurrentContext } from "../agent-context.ts";

export const GetProductInputSchema = z.object({
  sku: z.string().min(1).max(200).describe("The product's SKU, as search_products returned it"),
});

export type ProductFinder = (accountId: string, sku: string) => Promise<Product | null>;

export type GetProductResult = CatalogEntry | { status: "error"; code: "PRODUCT_NOT_FOUND"; message: string };

/** One product of the run's account by SKU: its exact price and currency, or a not-found result. */
export function createGetProductTool(find: ProductFinder) {
  return tool({
    description:
      "Look up one product of the catalog by SKU: name, description, price, currency and attributes. " +
      "Quote the price exactly as returned, with its currency.",
    inputSchema: GetProductInputSchema,
    execute: async (input): Promise<GetProductResult> => {
      const context = requireCurrentContext();
      const sku = input.sku.trim();
      const product = SKU_PATTERN.test(sku) ? await find(context.accountId, sku) : null;
      if (!product) {
        return {
          status: "error",
          code: "PRODUCT_NOT_FOUND",
          message: `No product with SKU "${sku}" is in the catalog`,
        };
      }
      return toCatalogEntry(product);
    },
  });
}
