/**
 * What replicas share: small JSON values with a time to live, counters, and invalidation messages.
 * In-process by default; Redis when REDIS_URL is set, so every replica sees the same state.
 */
export interface KeyValueCache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Atomically adds one and returns the new value (a missing key counts from 0). */
  increment(key: string): Promise<number>;
}

export type MessageHandler = (message: string) => void;

export interface PubSub {
  publish(channel: string, message: string): Promise<void>;
  /** Delivers every later message on the channel, from any replica, this one included. */
  subscribe(channel: string, handler: MessageHandler): Promise<() => Promise<void>>;
}

export interface CacheBackend {
  readonly kind: "memory" | "redis";
  readonly cache: KeyValueCache;
  readonly pubsub: PubSub;
  close(): Promise<void>;
}
