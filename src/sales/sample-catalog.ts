import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Account } from "../accounts/account-service.ts";
import { ProductBatchSchema } from "./product-input.ts";
import type { ProductService, ProductWriteReport } from "./product-service.ts";

const SAMPLE_CATALOG = fileURLToPath(new URL("../../samples/catalog.json", import.meta.url));

/**
 * Seeds the demo account with the sample catalog (samples/catalog.json), so the sales agent has
 * real prices to quote on first start. A missing file seeds nothing; a malformed one is a bug
 * worth stopping for.
 */
export async function seedSampleCatalog(
  products: ProductService,
  account: Account,
  path = SAMPLE_CATALOG,
): Promise<ProductWriteReport | null> {
  if (!existsSync(path)) return null;
  const catalog = ProductBatchSchema.parse(JSON.parse(readFileSync(path, "utf8")));
  return products.upsert(account, catalog.products);
}
