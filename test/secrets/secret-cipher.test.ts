import { createSecretKey, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadSettings, SettingsError } from "../../src/config/settings.ts";
import { openSecret, sealSecret } from "../../src/secrets/secret-cipher.ts";

const key = createSecretKey(randomBytes(32));

describe("secret sealing (AES-256-GCM)", () => {
  it("opens what it sealed, with a fresh IV each time", () => {
    const first = sealSecret(key, "s3cret-token", "account/name");
    const second = sealSecret(key, "s3cret-token", "account/name");
    expect(first.iv).not.toBe(second.iv);
    expect(first.ciphertext).not.toBe(second.ciphertext);
    expect(Buffer.from(first.iv, "base64")).toHaveLength(12);
    expect(openSecret(key, first, "account/name")).toBe("s3cret-token");
    expect(openSecret(key, second, "account/name")).toBe("s3cret-token");
  });

  it("refuses a tampered value, another key, or another account's or name's row", () => {
    const sealed = sealSecret(key, "s3cret-token", "account-a/crm");
    const flipped = Buffer.from(sealed.ciphertext, "base64");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() =>
      openSecret(key, { ...sealed, ciphertext: flipped.toString("base64") }, "account-a/crm"),
    ).toThrow();
    expect(() => openSecret(createSecretKey(randomBytes(32)), sealed, "account-a/crm")).toThrow();
    expect(() => openSecret(key, sealed, "account-b/crm")).toThrow();
    expect(() => openSecret(key, sealed, "account-a/other")).toThrow();
  });
});

describe("SWITCHBOARD_SECRETS_KEY", () => {
  it("is optional, and when set must be 32 bytes of base64", () => {
    expect(loadSettings({}).secretsKey).toBeNull();
    const loaded = loadSettings({ SWITCHBOARD_SECRETS_KEY: randomBytes(32).toString("base64") }).secretsKey;
    expect(loaded?.symmetricKeySize).toBe(32);
    expect(() => loadSettings({ SWITCHBOARD_SECRETS_KEY: randomBytes(16).toString("base64") })).toThrow(
      SettingsError,
    );
    expect(() => loadSettings({ SWITCHBOARD_SECRETS_KEY: "not base64 at all!" })).toThrow(
      /SWITCHBOARD_SECRETS_KEY/,
    );
  });

  it("never shows the key when settings are printed", () => {
    const material = randomBytes(32).toString("base64");
    const settings = loadSettings({ SWITCHBOARD_SECRETS_KEY: material });
    expect(JSON.stringify(settings)).not.toContain(material);
  });
});
