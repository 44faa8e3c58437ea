import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const ACCOUNT_KEY_PREFIX = "sb_";
const ADMIN_KEY_PREFIX = "sb_admin_";

/** 32 random bytes, base64url: unguessable, URL- and header-safe. */
export function generateApiKey(): string {
  return `${ACCOUNT_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
}

export function generateAdminKey(): string {
  return `${ADMIN_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
}

/**
 * Keys carry 256 bits of entropy, so a fast hash is enough: nothing to brute-force, and the
 * lookup stays an indexed equality on every request.
 */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** What may be shown of a key after creation: enough to tell keys apart, useless to an attacker. */
export function displayPrefix(key: string): string {
  return `${key.slice(0, ACCOUNT_KEY_PREFIX.length + 6)}…`;
}

export function looksLikeAccountKey(key: string): boolean {
  return key.startsWith(ACCOUNT_KEY_PREFIX) && !key.startsWith(ADMIN_KEY_PREFIX);
}

export function constantTimeEquals(left: string, right: string): boolean {
  const leftHash = createHash("sha256").update(left).digest();
  const rightHash = createHash("sha256").update(right).digest();
  return timingSafeEqual(leftHash, rightHash);
}
