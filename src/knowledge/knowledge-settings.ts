import { z } from "zod";
import type { PineconeSettings } from "../vector/pinecone-settings.ts";

const PINECONE_INDEX_NAME = /^[a-z0-9](?:[a-z0-9-]{0,43}[a-z0-9])?$/;

const KnowledgeEnvSchema = z.object({
  PINECONE_API_KEY: z
    .string()
    .regex(/^\S+$/, "must not contain whitespace (check for a stray newline)")
    .optional(),
  PINECONE_INDEX: z
    .string()
    .regex(PINECONE_INDEX_NAME, "must be 1 to 45 lowercase letters, digits and inner hyphens")
    .default("switchboard-knowledge"),
  PINECONE_CONTROLLER_HOST: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  PINECONE_CLOUD: z.enum(["aws", "gcp", "azure"]).default("aws"),
  PINECONE_REGION: z
    .string()
    .regex(/^[a-z0-9-]{2,40}$/, "must be a region name like us-east-1")
    .default("us-east-1"),
  SWITCHBOARD_ALLOW_OUTBOUND_FETCH: z.enum(["true", "false"]).default("false"),
  SWITCHBOARD_UPLOAD_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(20 * 1024 * 1024),
});

export interface KnowledgeSettings {
  /** Null when PINECONE_API_KEY is unset: every tier then keeps its knowledge in pgvector. */
  pinecone: PineconeSettings | null;
  /** Ingesting by URL makes the server fetch what a client names, so an operator must opt in. */
  allowOutboundFetch: boolean;
  /** Largest file accepted by a multipart upload (PDFs are often bigger than a JSON body). */
  uploadLimitBytes: number;
}

export class KnowledgeSettingsError extends Error {
  override readonly name = "KnowledgeSettingsError";
}

/** Reads the knowledge settings from an environment whose empty variables are already removed. */
export function loadKnowledgeSettings(env: Record<string, string | undefined>): KnowledgeSettings {
  const parsed = KnowledgeEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new KnowledgeSettingsError(`Invalid configuration:\n${problems.join("\n")}`);
  }
  const values = parsed.data;
  return {
    pinecone:
      values.PINECONE_API_KEY === undefined
        ? null
        : {
            apiKey: values.PINECONE_API_KEY,
            controllerHostUrl: values.PINECONE_CONTROLLER_HOST ?? null,
            sharedIndex: values.PINECONE_INDEX,
            cloud: values.PINECONE_CLOUD,
            region: values.PINECONE_REGION,
            maxRetries: 2,
          },
    allowOutboundFetch: values.SWITCHBOARD_ALLOW_OUTBOUND_FETCH === "true",
    uploadLimitBytes: values.SWITCHBOARD_UPLOAD_LIMIT_BYTES,
  };
}
