import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { LeadStore } from "../../sales/lead-store.ts";
import { ProductBatchSchema } from "../../sales/product-input.ts";
import type { ProductService } from "../../sales/product-service.ts";
import type { Authenticator } from "../auth.ts";
import { AccountParamsSchema, COMMON_ERROR_RESPONSES } from "../schemas/common.ts";
import {
  DeletedProductSchema,
  LeadListQuerySchema,
  LeadListSchema,
  ProductListQuerySchema,
  ProductListSchema,
  ProductParamsSchema,
  ProductSchema,
  ProductWriteResponseSchema,
} from "../schemas/sales-schemas.ts";

export interface SalesRoutesOptions {
  products: ProductService;
  leads: LeadStore;
  auth: Authenticator;
}

/** The account's product catalog (what sales agents quote from) and the leads they captured. */
export const salesRoutes: FastifyPluginAsyncZod<SalesRoutesOptions> = async (server, options) => {
  const { products, leads, auth } = options;

  server.post(
    "/accounts/:account/products",
    {
      schema: {
        tags: ["sales"],
        summary: "Create or update products, by SKU",
        description:
          "`{products: [{sku, name, description?, price, currency, attributes?}]}`, 1 to 500. A known SKU " +
          "is updated, an identical one left alone. Each product is also indexed into the knowledge base " +
          "of the account's sales agents; `knowledge` reports that per agent (a failure there does not " +
          "undo the catalog write). 201 when a product was created, else 200.",
        params: AccountParamsSchema,
        body: ProductBatchSchema,
        response: {
          200: ProductWriteResponseSchema,
          201: ProductWriteResponseSchema,
          ...COMMON_ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const account = await auth.accountFor(request, request.params.account);
      const report = await products.upsert(account, request.body.products);
      const created = report.products.some((product) => product.status === "created");
      request.log.info({ account: account.slug, products: report.products.length }, "products written");
      return reply.status(created ? 201 : 200).send(report);
    },
  );

  server.get(
    "/accounts/:account/products",
    {
      schema: {
        tags: ["sales"],
        summary: "List the catalog (cheapest first), or search it with ?q=",
        params: AccountParamsSchema,
        querystring: ProductListQuerySchema,
        response: { 200: ProductListSchema, ...COMMON_ERROR_RESPONSES },
      },
    },
    async (request) => {
      const account = await auth.accountFor(request, request.params.account);
      const { q, limit, offset } = request.query;
      return { products: await products.list(account, { query: q, limit, offset }) };
    },
  );

  server.get(
    "/accounts/:account/products/:sku",
    {
      schema: {
        tags: ["sales"],
        summary: "One product",
        params: ProductParamsSchema,
        response: { 200: ProductSchema, ...COMMON_ERROR_RESPONSES },
      },
    },
    async (request) => {
      const account = await auth.accountFor(request, request.params.account);
      return products.get(account, request.params.sku);
    },
  );

  server.delete(
    "/accounts/:account/products/:sku",
    {
      schema: {
        tags: ["sales"],
        summary: "Delete a product, and its document in the sales agents' knowledge bases",
        params: ProductParamsSchema,
        response: { 200: DeletedProductSchema, ...COMMON_ERROR_RESPONSES },
      },
    },
    async (request) => {
      const account = await auth.accountFor(request, request.params.account);
      return products.remove(account, request.params.sku);
    },
  );

  server.get(
    "/accounts/:account/leads",
    {
      schema: {
        tags: ["sales"],
        summary: "Leads captured by the account's sales agents, newest first",
        params: AccountParamsSchema,
        querystring: LeadListQuerySchema,
        response: { 200: LeadListSchema, ...COMMON_ERROR_RESPONSES },
      },
    },
    async (request) => {
      const account = await auth.accountFor(request, request.params.account);
      return { leads: await leads.list(account.id, request.query) };
    },
  );
};
