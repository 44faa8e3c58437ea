import { Redis } from "ioredis";
import type { CacheBackend, KeyValueCache, MessageHandler, PubSub } from "./cache.ts";

/**
 * Redis-backed cache and pub/sub. Every key and channel carries the deployment's prefix, so
 * deployments (and test runs) sharing one Redis never see each other.
 */
export function createRedisCacheBackend(options: { url: string; prefix: string }): CacheBackend {
  const { prefix } = options;
  const client = new Redis(options.url, { maxRetriesPerRequest: 2 });
  // A subscribed connection can do nothing else, so pub/sub gets its own.
  const subscriber = new Redis(options.url, { maxRetriesPerRequest: 2 });
  const handlers = new Map<string, Set<MessageHandler>>();

  subscriber.on("message", (channel: string, message: string) => {
    for (const handler of handlers.get(channel) ?? []) handler(message);
  });

  const cache: KeyValueCache = {
    async get<T>(key: string) {
      const value = await client.get(prefix + key);
      return value === null ? undefined : (JSON.parse(value) as T);
    },
    async set(key, value, ttlSeconds) {
      await client.set(prefix + key, JSON.stringify(value), "EX", ttlSeconds);
    },
    async delete(key) {
      await client.del(prefix + key);
    },
    async increment(key) {
      return client.incr(prefix + key);
    },
  };

  const pubsub: PubSub = {
    async publish(channel, message) {
      await client.publish(prefix + channel, message);
    },
    async subscribe(channel, handler) {
      const name = prefix + channel;
      let set = handlers.get(name);
      if (!set) {
        set = new Set();
        handlers.set(name, set);
        await subscriber.subscribe(name);
      }
      set.add(handler);
      return async () => {
        const current = handlers.get(name);
        current?.delete(handler);
        if (current && current.size === 0) {
          handlers.delete(name);
          await subscriber.unsubscribe(name);
        }
      };
    },
  };

  return {
    kind: "redis",
    cache,
    pubsub,
    async close() {
      handlers.clear();
      await Promise.allSettled([client.quit(), subscriber.quit()]);
    },
  };
}
