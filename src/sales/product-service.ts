import type { Account } from "../accounts/account-service.ts";
import type { Database } from "../db/client.ts";
import { ProductNotFoundError } from "../errors/app-error.ts";
import type { CatalogIndex, CatalogIndexReport } from "./catalog-index.ts";
import { normalizeProduct, type ProductInput } from "./product-input.ts";
import { createProductSearch } from "./product-search.ts";
import { createProductStore, type Product, type ProductWriteStatus } from "./product-store.ts";

export interface ProductWriteReport {
  products: Array<Product & { status: ProductWriteStatus }>;
  /** One entry per sales instance whose knowledge base holds the catalog. */
  knowledge: CatalogIndexReport[];
}

/** What the catalog tools see: the product without bookkeeping. */
export type CatalogEntry = Omit<Product, "created_at" | "updated_at">;

export function toCatalogEntry(product: Product): CatalogEntry {
  const { created_at: _created, updated_at: _updated, ...entry } = product;
  return entry;
}

export type ProductService = ReturnType<typeof createProductService>;

/** The account's product catalog: the system of record for prices, mirrored into sales knowledge bases. */
export function createProductService(dependencies: { db: Database; index: CatalogIndex }) {
  const store = createProductStore(dependencies.db);
  const search = createProductSearch(dependencies.db);
  const { index } = dependencies;

  async function upsert(account: Account, inputs: ProductInput[]): Promise<ProductWriteReport> {
    const written = await store.upsert(account.id, inputs.map(normalizeProduct));
    // Every product of the request, changed or not: an earlier indexing failure heals on re-send,
    // and unchanged documents are recognised by their hash without being embedded again.
    const knowledge = await index.index(
      account,
      written.map((entry) => entry.product),
    );
    return { products: written.map((entry) => ({ ...entry.product, status: entry.status })), knowledge };
  }

  async function get(account: Account, sku: string): Promise<Product> {
    const product = await store.get(account.id, sku);
    if (!product) throw new ProductNotFoundError(`Product "${sku}" not found`);
    return product;
  }

  async function remove(
    account: Account,
    sku: string,
  ): Promise<Product & { knowledge: CatalogIndexReport[] }> {
    const product = await store.remove(account.id, sku);
    if (!product) throw new ProductNotFoundError(`Product "${sku}" not found`);
    return { ...product, knowledge: await index.unindex(account, sku) };
  }

  function list(account: Account, options: { query?: string | undefined; limit: number; offset: number }) {
    const query = options.query?.trim();
    if (query) return search(account.id, query, options.limit);
    return store.list(account.id, options);
  }

  return {
    upsert,
    get,
    remove,
    list,
    /** For the tools, which know the account only by id (from the run's context). */
    searchById: (accountId: string, query: string, limit: number) => search(accountId, query, limit),
    findById: (accountId: string, sku: string) => store.get(accountId, sku),
  };
}
