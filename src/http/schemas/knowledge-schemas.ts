import { z } from "zod";
import { TierSchema, VECTOR_BACKENDS } from "../../accounts/tiers.ts";
import { SlugSchema } from "../../config/identifiers.ts";
import { RESERVED_METADATA_KEYS } from "../../vector/vector-store.ts";

const noNul = (text: string) => !text.includes("\u0000");
const NUL_MESSAGE = "must not contain NUL characters";

const MetadataSchema = z
  .record(
    z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "keys must be letters, digits and _ (up to 64)")
      .refine((key) => !RESERVED_METADATA_KEYS.has(key), "is a reserved field name"),
    z.union([z.string().max(1_000).refine(noNul, NUL_MESSAGE), z.number().finite(), z.boolean()]),
  )
  .refine((metadata) => Object.keys(metadata).length <= 20, "at most 20 metadata fields");

export const IngestDocumentSchema = z
  .object({
    title: z.string().trim().min(1).max(500).refine(noNul, NUL_MESSAGE),
    content: z.string().min(1).refine(noNul, NUL_MESSAGE),
    source: z.string().trim().min(1).max(2_000).refine(noNul, NUL_MESSAGE).optional(),
    metadata: MetadataSchema.optional(),
    format: z
      .enum(["text", "markdown", "html"])
      .optional()
      .describe("Guessed from the source and content when left out"),
  })
  .strict();

export const IngestBodySchema = z
  .object({
    agent: SlugSchema.describe("The instance whose knowledge base receives the documents"),
    documents: z.array(IngestDocumentSchema).min(1).max(100).optional(),
    urls: z
      .array(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }))
      .min(1)
      .max(20)
      .optional()
      .describe("Fetched by the server; only when the operator set SWITCHBOARD_ALLOW_OUTBOUND_FETCH=true"),
  })
  .strict()
  .refine((body) => body.documents !== undefined || body.urls !== undefined, {
    message: "send documents, urls, or both",
    path: ["documents"],
  });

export const VectorConfigSchema = z.object({
  backend: z.enum(VECTOR_BACKENDS),
  requested: z.enum(VECTOR_BACKENDS),
  fallback_from: z.enum(VECTOR_BACKENDS).optional(),
  reason: z.string().optional(),
});

export const IngestResponseSchema = z.object({
  agent: z.string(),
  backend: z.enum(VECTOR_BACKENDS),
  documents: z.array(
    z.object({
      id: z.uuid(),
      title: z.string(),
      source: z.string().nullable(),
      status: z.enum(["created", "replaced", "unchanged"]),
      chunks: z.number().int(),
      hash: z.string(),
    }),
  ),
  chunks_added: z.number().int(),
  chunks_total: z.number().int(),
  chunks_limit: z.number().int(),
});

export const KnowledgeQuerySchema = z.object({ agent: SlugSchema }).strict();

export const KnowledgeDocumentSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  source: z.string().nullable(),
  chunks: z.number().int(),
  hash: z.string(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  backend: z.enum(VECTOR_BACKENDS),
  created_at: z.string(),
});

export const KnowledgeListSchema = z.object({
  agent: z.string(),
  vector_store: VectorConfigSchema,
  documents: z.array(KnowledgeDocumentSchema),
});

export const DocumentParamsSchema = z.object({ account: SlugSchema, document_id: z.uuid() }).strict();

export const SearchKnowledgeBodySchema = z
  .object({
    agent: SlugSchema,
    query: z.string().trim().min(1).max(2_000).refine(noNul, NUL_MESSAGE),
    top_k: z.number().int().min(1).max(50).optional(),
  })
  .strict();

export const SearchKnowledgeResponseSchema = z.object({
  results: z.array(
    z.object({
      title: z.string(),
      content: z.string(),
      source: z.string().nullable(),
      score: z.number(),
      document_id: z.string(),
    }),
  ),
});

export const MigrationReportSchema = z.object({
  id: z.uuid(),
  status: z.enum(["running", "failed", "completed"]),
  from_tier: z.string(),
  to_tier: z.string(),
  documents_total: z.number().int(),
  documents_moved: z.number().int(),
  chunks_moved: z.number().int(),
  error: z.string().nullable(),
  started_at: z.string(),
  updated_at: z.string(),
  completed_at: z.string().nullable(),
});

export const ChangeTierBodySchema = z.object({ tier: TierSchema }).strict();
