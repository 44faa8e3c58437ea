import { createCipheriv, createDecipheriv, type KeyObject, randomBytes } from "node:crypto";

export interface SealedSecret {
  ciphertext: string;
  iv: string;
  authTag: string;
}

const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;

/**
 * AES-256-GCM with a fresh random IV per secret. The account and name are authenticated as
 * associated data, so a sealed value copied to another account's or name's row does not open.
 */
export function sealSecret(key: KeyObject, plaintext: string, associatedData: string): SealedSecret {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return {
    ciphertext: ciphertext.toString("base64"),
    iv: iv.toString("base64"),
    authTag: cipher.getAuthTag().toString("base64"),
  };
}

/** Throws when the key is not the one that sealed it or anything was tampered with. */
export function openSecret(key: KeyObject, sealed: SealedSecret, associatedData: string): string {
  const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(sealed.iv, "base64"));
  decipher.setAAD(Buffer.from(associatedData, "utf8"));
  decipher.setAuthTag(Buffer.from(sealed.authTag, "base64"));
  return Buffer.concat([
    decipher.update(Buffer.from(sealed.ciphertext, "base64")),
    decipher.final(),
  ]).toString("utf8");
}
