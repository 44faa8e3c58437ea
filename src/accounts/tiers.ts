import { z } from "zod";

export const TIERS = ["budget", "standard", "professional", "enterprise"] as const;
export const TierSchema = z.enum(TIERS);
export type Tier = z.infer<typeof TierSchema>;

export const VECTOR_BACKENDS = ["pgvector", "pinecone-shared", "pinecone-dedicated"] as const;
export type VectorBackend = (typeof VECTOR_BACKENDS)[number];

export interface TierLimits {
  max_instances_per_type: number;
  requests_per_minute: number;
  tokens_per_day: number;
  knowledge_chunks: number;
  max_nesting_depth: number;
  max_child_runs_per_request: number;
  /** Tokens one request may spend across its whole tree of agent runs. */
  max_tokens_per_request: number;
  child_timeout_seconds: number;
  /** Where the tier's knowledge lives; Pinecone tiers fall back to pgvector when it is not configured. */
  vector_backend: VectorBackend;
}

/** Kept in code as data: a tier change is a reviewed commit, not a database edit. */
export const TIER_LIMITS: Readonly<Record<Tier, Readonly<TierLimits>>> = {
  budget: {
    max_instances_per_type: 1,
    requests_per_minute: 60,
    tokens_per_day: 200_000,
    knowledge_chunks: 2_000,
    max_nesting_depth: 2,
    max_child_runs_per_request: 4,
    max_tokens_per_request: 50_000,
    child_timeout_seconds: 60,
    vector_backend: "pgvector",
  },
  standard: {
    max_instances_per_type: 3,
    requests_per_minute: 300,
    tokens_per_day: 2_000_000,
    knowledge_chunks: 50_000,
    max_nesting_depth: 3,
    max_child_runs_per_request: 10,
    max_tokens_per_request: 200_000,
    child_timeout_seconds: 120,
    vector_backend: "pinecone-shared",
  },
  professional: {
    max_instances_per_type: 10,
    requests_per_minute: 1_200,
    tokens_per_day: 20_000_000,
    knowledge_chunks: 500_000,
    max_nesting_depth: 5,
    max_child_runs_per_request: 25,
    max_tokens_per_request: 1_000_000,
    child_timeout_seconds: 300,
    vector_backend: "pinecone-shared",
  },
  enterprise: {
    max_instances_per_type: 50,
    requests_per_minute: 6_000,
    tokens_per_day: 200_000_000,
    knowledge_chunks: 5_000_000,
    max_nesting_depth: 5,
    max_child_runs_per_request: 100,
    max_tokens_per_request: 5_000_000,
    child_timeout_seconds: 600,
    vector_backend: "pinecone-dedicated",
  },
};
