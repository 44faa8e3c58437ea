import { asc, desc, eq, type SQL, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { products } from "../db/schema.ts";
import { withAccount } from "../db/tenant-scope.ts";
import { type Product, toProduct } from "./product-store.ts";
import { searchTerms, wordPattern } from "./search-terms.ts";

/** How much a term found in each field counts: a product is best found by its own name or SKU. */
const FIELD_WEIGHTS = { name: 4, sku: 3, description: 1, attributes: 1 } as const;
/** An exact SKU outranks any wording. */
const EXACT_SKU_WEIGHT = 20;
/**
 * Results scoring below this share of the best one are dropped: asked about "the Pro plan", the
 * plan that merely says "everything in Pro, plus…" is not an answer, and quoting its price would
 * put a second, unasked-for price in the reply.
 */
const RELATIVE_FLOOR = 0.5;

function termScore(term: string): SQL {
  const pattern = wordPattern(term);
  return sql`(case when ${products.name} ~* ${pattern} then ${FIELD_WEIGHTS.name} else 0 end
    + case when ${products.sku} ~* ${pattern} then ${FIELD_WEIGHTS.sku} else 0 end
    + case when ${products.description} ~* ${pattern} then ${FIELD_WEIGHTS.description} else 0 end
    + case when ${products.attributes}::text ~* ${pattern} then ${FIELD_WEIGHTS.attributes} else 0 end)`;
}

function sum(parts: SQL[]): SQL {
  return parts.length === 0 ? sql`0` : sql.join(parts, sql` + `);
}

/**
 * Keyword search over an account's catalog (name, SKU, description, attributes), ranked in the
 * database. A question only about the catalog in general ("what plans do you offer?") gets the
 * whole catalog: what its words name first (plans before add-ons), cheapest first within that. A
 * question naming something no product has gets nothing, so an agent says it found nothing
 * instead of quoting a neighbour's price.
 */
export function createProductSearch(db: Database) {
  return async function search(accountId: string, query: string, limit: number): Promise<Product[]> {
    const terms = searchTerms(query);
    const exactSku =
      terms.skuTokens.length === 0
        ? sql`0`
        : sql`case when lower(${products.sku}) in (${sql.join(
            terms.skuTokens.map((token) => sql`${token.toLowerCase()}`),
            sql`, `,
          )}) then ${EXACT_SKU_WEIGHT} else 0 end`;
    const specific = sql<number>`(${exactSku} + ${sum(terms.specific.map(termScore))})::float8`;
    const general = sql<number>`(${sum(terms.general.map(termScore))})::float8`;
    const wholeCatalog = terms.specific.length === 0;

    const rows = await withAccount(db, accountId, (transaction) =>
      transaction
        .select({ product: products, specific, general })
        .from(products)
        .where(
          wholeCatalog
            ? eq(products.accountId, accountId)
            : sql`${products.accountId} = ${accountId} and ${specific} > 0`,
        )
        .orderBy(desc(specific), desc(general), asc(products.price), asc(products.name))
        .limit(limit),
    );
    if (wholeCatalog) return rows.map((row) => toProduct(row.product));
    const best = rows[0]?.specific ?? 0;
    return rows.filter((row) => row.specific >= best * RELATIVE_FLOOR).map((row) => toProduct(row.product));
  };
}
