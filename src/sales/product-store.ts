import { and, asc, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { products } from "../db/schema.ts";
import { withAccount } from "../db/tenant-scope.ts";
import { formatStoredPrice } from "./price.ts";
import type { NormalizedProduct } from "./product-input.ts";

export interface Product {
  sku: string;
  name: string;
  description: string;
  /** Exact decimal text with two decimals: "49.00". */
  price: string;
  currency: string;
  attributes: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export type ProductWriteStatus = "created" | "updated" | "unchanged";

type ProductRow = typeof products.$inferSelect;

export function toProduct(row: ProductRow): Product {
  return {
    sku: row.sku,
    name: row.name,
    description: row.description,
    price: formatStoredPrice(row.price),
    currency: row.currency,
    attributes: row.attributes,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export type ProductStore = ReturnType<typeof createProductStore>;

/** The catalog table, always inside the account's row-level-security scope. */
export function createProductStore(db: Database) {
  /**
   * Inserts new SKUs and updates changed ones in one statement; a product sent unchanged is not
   * touched (its updated_at stays), so re-sending a catalog is cheap and says what changed.
   */
  async function upsert(
    accountId: string,
    inputs: NormalizedProduct[],
  ): Promise<Array<{ product: Product; status: ProductWriteStatus }>> {
    return withAccount(db, accountId, async (transaction) => {
      const changed = await transaction
        .insert(products)
        .values(inputs.map((input) => ({ ...input, accountId })))
        .onConflictDoUpdate({
          target: [products.accountId, products.sku],
          set: {
            name: sql`excluded.name`,
            description: sql`excluded.description`,
            price: sql`excluded.price`,
            currency: sql`excluded.currency`,
            attributes: sql`excluded.attributes`,
            updatedAt: sql`now()`,
          },
          setWhere: sql`(${products.name}, ${products.description}, ${products.price}, ${products.currency}, ${products.attributes})
            is distinct from (excluded.name, excluded.description, excluded.price, excluded.currency, excluded.attributes)`,
        })
        // xmax is 0 on a freshly inserted row version and set on an updated one.
        .returning({ ...getTableColumns(products), inserted: sql<boolean>`(xmax = 0)` });
      const bySku = new Map(changed.map((row) => [row.sku, row]));
      const untouched = inputs.filter((input) => !bySku.has(input.sku)).map((input) => input.sku);
      const unchangedRows =
        untouched.length === 0
          ? []
          : await transaction
              .select()
              .from(products)
              .where(and(eq(products.accountId, accountId), inArray(products.sku, untouched)));
      const unchanged = new Map(unchangedRows.map((row) => [row.sku, row]));
      return inputs.map((input) => {
        const written = bySku.get(input.sku);
        if (written) return { product: toProduct(written), status: written.inserted ? "created" : "updated" };
        const row = unchanged.get(input.sku);
        if (!row) throw new Error(`product ${input.sku} was neither written nor found`);
        return { product: toProduct(row), status: "unchanged" };
      });
    });
  }

  async function list(accountId: string, page: { limit: number; offset: number }): Promise<Product[]> {
    const rows = await withAccount(db, accountId, (transaction) =>
      transaction
        .select()
        .from(products)
        .where(eq(products.accountId, accountId))
        .orderBy(asc(products.price), asc(products.name), asc(products.sku))
        .limit(page.limit)
        .offset(page.offset),
    );
    return rows.map(toProduct);
  }

  async function get(accountId: string, sku: string): Promise<Product | null> {
    const [row] = await withAccount(db, accountId, (transaction) =>
      transaction
        .select()
        .from(products)
        .where(and(eq(products.accountId, accountId), eq(products.sku, sku)))
        .limit(1),
    );
    return row ? toProduct(row) : null;
  }

  async function remove(accountId: string, sku: string): Promise<Product | null> {
    const [row] = await withAccount(db, accountId, (transaction) =>
      transaction
        .delete(products)
        .where(and(eq(products.accountId, accountId), eq(products.sku, sku)))
        .returning(),
    );
    return row ? toProduct(row) : null;
  }

  return { upsert, list, get, remove };
}
