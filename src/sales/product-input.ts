import { z } from "zod";
import { isCurrencyCode, normalizePrice } from "./price.ts";

export const SKU_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const MAX_PRODUCTS_PER_REQUEST = 500;
const MAX_ATTRIBUTES_JSON = 8_000;

const noNul = (text: string) => !text.includes("\u0000");
const NUL_MESSAGE = "must not contain NUL characters";

export const SkuSchema = z
  .string()
  .regex(SKU_PATTERN, "must be 1 to 64 letters, digits, '.', '_' or '-'")
  .describe("The product's stock-keeping unit, unique in the account");

export const PriceInputSchema = z
  .union([z.number(), z.string()])
  .superRefine((value, context) => {
    const normalized = normalizePrice(value);
    if (!normalized.ok) context.addIssue({ code: "custom", message: normalized.reason });
  })
  .describe('A non-negative decimal with at most 2 decimals: 49, 49.9 or "49.90"');

export const CurrencySchema = z
  .string()
  .refine(isCurrencyCode, "must be an ISO 4217 code in uppercase, such as USD or EUR")
  .describe("ISO 4217 currency code");

export const AttributesSchema = z
  .record(z.string().min(1).max(64), z.unknown())
  .refine((attributes) => Object.keys(attributes).length <= 50, "at most 50 attributes")
  .refine((attributes) => {
    const json = JSON.stringify(attributes);
    // jsonb cannot hold the NUL character, escaped or not.
    return json.length <= MAX_ATTRIBUTES_JSON && !json.includes("\\u0000");
  }, `must be at most ${MAX_ATTRIBUTES_JSON} characters of JSON, without NUL characters`)
  .describe("Any facts about the product (billing period, seats, features), searched by search_products");

export const ProductInputSchema = z
  .object({
    sku: SkuSchema,
    name: z.string().trim().min(1).max(200).refine(noNul, NUL_MESSAGE),
    description: z.string().trim().max(4_000).refine(noNul, NUL_MESSAGE).default(""),
    price: PriceInputSchema,
    currency: CurrencySchema,
    attributes: AttributesSchema.default({}),
  })
  .strict();

export type ProductInput = z.infer<typeof ProductInputSchema>;

export const ProductBatchSchema = z
  .object({
    products: z
      .array(ProductInputSchema)
      .min(1)
      .max(MAX_PRODUCTS_PER_REQUEST)
      .superRefine((products, context) => {
        const seen = new Set<string>();
        products.forEach((product, index) => {
          if (seen.has(product.sku)) {
            context.addIssue({
              code: "custom",
              path: [index, "sku"],
              message: "appears twice in this request",
            });
          }
          seen.add(product.sku);
        });
      }),
  })
  .strict();

/** A validated input with its price in exact two-decimal text, as stored. */
export interface NormalizedProduct {
  sku: string;
  name: string;
  description: string;
  price: string;
  currency: string;
  attributes: Record<string, unknown>;
}

export function normalizeProduct(input: ProductInput): NormalizedProduct {
  const price = normalizePrice(input.price);
  if (!price.ok) throw new RangeError(`price ${price.reason}`);
  return { ...input, price: price.price };
}
