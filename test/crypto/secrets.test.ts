import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, generateWebhookSecret } from "../../src/crypto/secrets";
import { base64ToBytes, bytesToBase64 } from "../../src/lib/base64";

const KEY = bytesToBase64(crypto.getRandomValues(new Uint8Array(32)));
const OTHER_KEY = bytesToBase64(crypto.getRandomValues(new Uint8Array(32)));
const AAD = "org_a:wh_1";

describe("generateWebhookSecret", () => {
  it("is whsec_ + standard base64 of 32 bytes, different every time", () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(base64ToBytes(secret.slice("whsec_".length))).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });
});

describe("encryptSecret / decryptSecret", () => {
  it("round-trips", async () => {
    const secret = generateWebhookSecret();
    const stored = await encryptSecret(KEY, secret, AAD);
    expect(await decryptSecret(KEY, stored, AAD)).toBe(secret);
  });

  it("writes v1.<iv>.<ciphertext> that never contains the plaintext", async () => {
    const secret = generateWebhookSecret();
    const stored = await encryptSecret(KEY, secret, AAD);
    const [version, iv, data] = stored.split(".");
    expect(version).toBe("v1");
    expect(base64ToBytes(iv!)).toHaveLength(12);
    expect(base64ToBytes(data!)).toHaveLength(secret.length + 16); // + the GCM tag
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(secret.slice("whsec_".length));
  });

  it("gives a different ciphertext each time (random IV)", async () => {
    const a = await encryptSecret(KEY, "same", AAD);
    const b = await encryptSecret(KEY, "same", AAD);
    expect(a).not.toBe(b);
    expect(a.split(".")[1]).not.toBe(b.split(".")[1]);
  });

  it("fails with other associated data (another webhook or org)", async () => {
    const stored = await encryptSecret(KEY, "s", AAD);
    await expect(decryptSecret(KEY, stored, "org_a:wh_2")).rejects.toThrow(/Could not decrypt/);
    await expect(decryptSecret(KEY, stored, "org_b:wh_1")).rejects.toThrow(/Could not decrypt/);
  });

  it("fails with another key", async () => {
    const stored = await encryptSecret(KEY, "s", AAD);
    await expect(decryptSecret(OTHER_KEY, stored, AAD)).rejects.toThrow(/Could not decrypt/);
  });

  it("fails when the ciphertext or IV is tampered with", async () => {
    const [version, iv, data] = (await encryptSecret(KEY, "secret", AAD)).split(".");
    const flip = (b64: string) => {
      const bytes = base64ToBytes(b64);
      bytes[0]! ^= 1;
      return bytesToBase64(bytes);
    };
    await expect(decryptSecret(KEY, `${version}.${iv}.${flip(data!)}`, AAD)).rejects.toThrow(/Could not decrypt/);
    await expect(decryptSecret(KEY, `${version}.${flip(iv!)}.${data}`, AAD)).rejects.toThrow(/Could not decrypt/);
  });

  it("refuses stored values that are not v1 format", async () => {
    const [, iv, data] = (await encryptSecret(KEY, "s", AAD)).split(".");
    for (const bad of [`v2.${iv}.${data}`, `v1.${iv}`, `v1.${iv}.${data}.x`, "whsec_plain", `v1.AAAA.${data}`]) {
      await expect(decryptSecret(KEY, bad, AAD)).rejects.toThrow(/format|IV/);
    }
  });

  it("throws a clear error for a key that is not base64 of 32 bytes", async () => {
    const short = bytesToBase64(new Uint8Array(16));
    await expect(encryptSecret(short, "s", AAD)).rejects.toThrow("SECRET_ENCRYPTION_KEY must be base64 of 32 bytes, got 16 bytes");
    await expect(decryptSecret("", "v1.a.b", AAD)).rejects.toThrow(/32 bytes, got 0/);
    await expect(encryptSecret("not base64!", "s", AAD)).rejects.toThrow(/not valid base64/);
  });

  it("decrypts with the key of the test environment", async () => {
    const stored = await encryptSecret(env.SECRET_ENCRYPTION_KEY, "whsec_x", AAD);
    expect(await decryptSecret(env.SECRET_ENCRYPTION_KEY, stored, AAD)).toBe("whsec_x");
  });
});
