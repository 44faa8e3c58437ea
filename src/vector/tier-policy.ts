import { TIER_LIMITS, type Tier, type VectorBackend } from "../accounts/tiers.ts";
import type { PineconeSettings } from "./pinecone-settings.ts";
import { dedicatedIndexName, pgvectorTableName, pineconeNamespace } from "./vector-names.ts";

export type VectorLocation =
  | { backend: "pgvector"; table: string }
  | { backend: "pinecone-shared" | "pinecone-dedicated"; index: string; namespace: string };

export interface VectorConfig {
  /** Where this instance's new knowledge goes. */
  backend: VectorBackend;
  /** What the account's tier asks for. */
  requested: VectorBackend;
  /** Set when the tier's backend is not available here and pgvector stands in for it. */
  fallback_from?: VectorBackend;
  reason?: string;
  location: VectorLocation;
}

export interface VectorAvailability {
  pinecone: Pick<PineconeSettings, "sharedIndex"> | null;
}

interface Named {
  slug: string;
}

/** The table, or index and namespace, an account-instance's knowledge has in a given backend. */
export function vectorLocation(
  backend: VectorBackend,
  account: Named,
  instance: Named,
  availability: VectorAvailability,
): VectorLocation {
  switch (backend) {
    case "pgvector":
      return { backend, table: pgvectorTableName(account.slug, instance.slug) };
    case "pinecone-shared":
      return {
        backend,
        index: availability.pinecone?.sharedIndex ?? "",
        namespace: pineconeNamespace(account.slug, instance.slug),
      };
    case "pinecone-dedicated":
      return {
        backend,
        index: dedicatedIndexName(account.slug),
        namespace: pineconeNamespace(account.slug, instance.slug),
      };
    default: {
      const unknown: never = backend;
      throw new TypeError(`unknown vector backend ${String(unknown)}`);
    }
  }
}

/** The backend an account's knowledge uses: the same for all its instances. */
export function vectorBackendFor(tier: Tier, availability: VectorAvailability): VectorBackend {
  const requested = TIER_LIMITS[tier].vector_backend;
  return requested !== "pgvector" && availability.pinecone === null ? "pgvector" : requested;
}

/**
 * Resolves where an instance's knowledge lives from the account's tier and what this deployment
 * has configured: budget → pgvector; standard and professional → the shared Pinecone index, one
 * namespace per account-instance; enterprise → a Pinecone index of its own. Without Pinecone,
 * every tier falls back to pgvector, and the answer says so.
 */
export function getVectorConfig(
  account: Named & { tier: Tier },
  instance: Named,
  availability: VectorAvailability,
): VectorConfig {
  const requested = TIER_LIMITS[account.tier].vector_backend;
  if (requested !== "pgvector" && availability.pinecone === null) {
    return {
      backend: "pgvector",
      requested,
      fallback_from: requested,
      reason: "Pinecone is not configured (set PINECONE_API_KEY); pgvector is used instead",
      location: vectorLocation("pgvector", account, instance, availability),
    };
  }
  return {
    backend: requested,
    requested,
    location: vectorLocation(requested, account, instance, availability),
  };
}
