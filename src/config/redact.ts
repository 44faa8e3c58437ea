import { isPlainObject } from "./deep-merge.ts";

const SECRET_KEY = /(token|secret|password|passwd|api_?key|authorization|credential)s?$/i;
const REFERENCE_KEY = /_ref$/i;
export const REDACTED = "[redacted]";

/** A copy safe to return or log: values under secret-looking keys are replaced (references stay). */
export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item)) as T;
  if (!isPlainObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    result[key] = SECRET_KEY.test(key) && !REFERENCE_KEY.test(key) ? REDACTED : redactSecrets(item);
  }
  return result as T;
}
