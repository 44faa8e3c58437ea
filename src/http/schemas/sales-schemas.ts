import { z } from "zod";
import { SlugSchema } from "../../config/identifiers.ts";
import { SkuSchema } from "../../sales/product-input.ts";

export const ProductParamsSchema = z.object({ account: SlugSchema, sku: SkuSchema }).strict();

const PageFields = {
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};

export const ProductListQuerySchema = z
  .object({
    q: z
      .string()
      .max(500)
      .optional()
      .describe(
        "Keyword search over name, SKU, description and attributes (best matches first; offset ignored)",
      ),
    ...PageFields,
  })
  .strict();

export const LeadListQuerySchema = z.object(PageFields).strict();

export const ProductSchema = z.object({
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  price: z.string().describe('Exact decimal with two decimals, e.g. "49.00"'),
  currency: z.string(),
  attributes: z.record(z.string(), z.unknown()),
  created_at: z.string(),
  updated_at: z.string(),
});

export const CatalogIndexReportSchema = z.object({
  agent: z.string(),
  indexed: z.number().int(),
  unchanged: z.number().int(),
  removed: z.number().int(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

export const ProductWriteResponseSchema = z.object({
  products: z.array(ProductSchema.extend({ status: z.enum(["created", "updated", "unchanged"]) })),
  knowledge: z.array(CatalogIndexReportSchema),
});

export const ProductListSchema = z.object({ products: z.array(ProductSchema) });

export const DeletedProductSchema = ProductSchema.extend({ knowledge: z.array(CatalogIndexReportSchema) });

export const LeadSchema = z.object({
  id: z.uuid(),
  name: z.string().nullable(),
  email: z.string(),
  company: z.string().nullable(),
  interest: z.string().nullable(),
  agent: z.string().nullable().describe("The slug of the agent that captured the lead"),
  conversation_id: z.string().nullable(),
  created_at: z.string(),
});

export const LeadListSchema = z.object({ leads: z.array(LeadSchema) });
