import { createSecretKey, type KeyObject } from "node:crypto";

export class SecretsSettingsError extends Error {
  override readonly name = "SecretsSettingsError";
}

const KEY_BYTES = 32;

/**
 * The key that encrypts account secrets (AES-256-GCM), from `SWITCHBOARD_SECRETS_KEY`: 32 bytes,
 * base64. Held as a KeyObject so that logging the settings can never print the key material.
 */
export function loadSecretsKey(env: Record<string, string | undefined>): KeyObject | null {
  const encoded = env.SWITCHBOARD_SECRETS_KEY;
  if (encoded === undefined) return null;
  const trimmed = encoded.trim();
  const decoded = /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, "base64") : Buffer.alloc(0);
  if (decoded.length !== KEY_BYTES) {
    throw new SecretsSettingsError(
      "Invalid configuration:\n  SWITCHBOARD_SECRETS_KEY: must be 32 random bytes, base64-encoded (openssl rand -base64 32)",
    );
  }
  return createSecretKey(decoded);
}
