import { EventEmitter } from "node:events";
import { LRUCache } from "lru-cache";
import type { CacheBackend, KeyValueCache, PubSub } from "./cache.ts";

export function createMemoryCacheBackend(options: { maxEntries?: number } = {}): CacheBackend {
  // Values are stored as JSON so callers get the same copy semantics as with Redis.
  const entries = new LRUCache<string, string>({ max: options.maxEntries ?? 50_000, ttlAutopurge: false });
  const counters = new Map<string, number>();
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);

  const cache: KeyValueCache = {
    async get<T>(key: string) {
      const value = entries.get(key);
      return value === undefined ? undefined : (JSON.parse(value) as T);
    },
    async set(key, value, ttlSeconds) {
      entries.set(key, JSON.stringify(value), { ttl: ttlSeconds * 1_000 });
    },
    async delete(key) {
      entries.delete(key);
      counters.delete(key);
    },
    async increment(key) {
      const next = (counters.get(key) ?? 0) + 1;
      counters.set(key, next);
      return next;
    },
  };

  const pubsub: PubSub = {
    async publish(channel, message) {
      emitter.emit(channel, message);
    },
    async subscribe(channel, handler) {
      emitter.on(channel, handler);
      return async () => {
        emitter.off(channel, handler);
      };
    },
  };

  return {
    kind: "memory",
    cache,
    pubsub,
    async close() {
      emitter.removeAllListeners();
      entries.clear();
    },
  };
}
