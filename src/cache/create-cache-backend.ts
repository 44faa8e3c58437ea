import type { CacheBackend } from "./cache.ts";
import { createMemoryCacheBackend } from "./memory-cache.ts";
import { createRedisCacheBackend } from "./redis-cache.ts";

export function createCacheBackend(settings: { redisUrl: string | null; redisPrefix: string }): CacheBackend {
  return settings.redisUrl
    ? createRedisCacheBackend({ url: settings.redisUrl, prefix: settings.redisPrefix })
    : createMemoryCacheBackend();
}
