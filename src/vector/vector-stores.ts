import { Pinecone } from "@pinecone-database/pinecone";
import type { Tier, VectorBackend } from "../accounts/tiers.ts";
import type { DatabaseHandle } from "../db/client.ts";
import { VectorBackendUnavailableError } from "../errors/app-error.ts";
import { createPgvectorStore } from "./pgvector-store.ts";
import type { PineconeSettings } from "./pinecone-settings.ts";
import { createPineconeStore } from "./pinecone-store.ts";
import {
  getVectorConfig,
  type VectorAvailability,
  type VectorConfig,
  vectorBackendFor,
  vectorLocation,
} from "./tier-policy.ts";
import { dedicatedIndexName } from "./vector-names.ts";
import type { VectorStore } from "./vector-store.ts";

export interface StoreAccount {
  id: string;
  slug: string;
  tier: Tier;
}

export interface VectorStores {
  readonly pineconeConfigured: boolean;
  /** The backend the account's tier puts all its knowledge in here. */
  backendFor(account: StoreAccount): VectorBackend;
  /** Where an instance's new knowledge goes under its account's tier (see tier-policy.ts). */
  config(account: StoreAccount, instance: { slug: string }): VectorConfig;
  /** The instance's knowledge base in one backend (the one its documents say they are in). */
  open(account: StoreAccount, instance: { slug: string }, backend: VectorBackend): VectorStore;
  /** Removes an enterprise account's own index once nothing lives in it any more. */
  dropDedicatedIndex(account: StoreAccount): Promise<void>;
}

/** Builds stores for any account-instance and backend; one Pinecone client per process. */
export function createVectorStores(options: {
  database: DatabaseHandle;
  pinecone: PineconeSettings | null;
}): VectorStores {
  const { database, pinecone } = options;
  const availability: VectorAvailability = { pinecone };
  const ensuredTables = new Set<string>();
  const writtenSinceAnalyze = new Map<string, number>();
  const ensuredIndexes = new Set<string>();
  const client =
    pinecone === null
      ? null
      : new Pinecone({
          apiKey: pinecone.apiKey,
          maxRetries: pinecone.maxRetries,
          sourceTag: "switchboard",
          ...(pinecone.controllerHostUrl === null ? {} : { controllerHostUrl: pinecone.controllerHostUrl }),
        });

  return {
    pineconeConfigured: client !== null,
    backendFor: (account) => vectorBackendFor(account.tier, availability),
    config: (account, instance) => getVectorConfig(account, instance, availability),

    open(account, instance, backend) {
      const location = vectorLocation(backend, account, instance, availability);
      if (location.backend === "pgvector") {
        return createPgvectorStore({
          database,
          accountId: account.id,
          table: location.table,
          ensuredTables,
          writtenSinceAnalyze,
        });
      }
      if (client === null || pinecone === null) {
        throw new VectorBackendUnavailableError(
          `This knowledge base is stored in Pinecone (${location.backend}), which is not configured here; set PINECONE_API_KEY`,
        );
      }
      return createPineconeStore({
        client,
        backend: location.backend,
        indexName: location.index,
        namespace: location.namespace,
        accountId: account.id,
        deployment: { cloud: pinecone.cloud, region: pinecone.region },
        ensuredIndexes,
      });
    },

    async dropDedicatedIndex(account) {
      if (client === null) return;
      const name = dedicatedIndexName(account.slug);
      try {
        await client.deleteIndex(name);
      } catch (error) {
        if (!(error instanceof Error && error.name === "PineconeNotFoundError")) {
          throw new VectorBackendUnavailableError(
            `Pinecone could not delete index ${name}: ${String(error)}`,
            {
              cause: error,
            },
          );
        }
      }
      ensuredIndexes.delete(name);
    },
  };
}
