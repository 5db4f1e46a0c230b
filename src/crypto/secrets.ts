// Webhook signing secrets: generation, and encryption at rest with AES-256-GCM (WebCrypto).
//
// Stored form: "v1.<base64 iv>.<base64 ciphertext+tag>". The version prefix lets a later key
// or algorithm change coexist with rows written today. Callers pass `${org}:${webhookId}` as
// associated data, so a ciphertext copied onto another webhook's (or org's) row fails to
// decrypt instead of silently signing with someone else's secret.

import { base64ToBytes, bytesToBase64 } from "../lib/base64";

const SECRET_PREFIX = "whsec_";
const FORMAT_VERSION = "v1";
const KEY_BYTES = 32;
const IV_BYTES = 12; // the GCM standard nonce size; random per encryption

/** `whsec_` + standard base64 of 32 random bytes (the Standard Webhooks secret format). */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + bytesToBase64(crypto.getRandomValues(new Uint8Array(32)));
}

export async function encryptSecret(keyBase64: string, plaintext: string, aad: string): Promise<string> {
  const key = await importKey(keyBase64);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: encode(aad) }, key, encode(plaintext));
  return [FORMAT_VERSION, bytesToBase64(iv), bytesToBase64(new Uint8Array(ciphertext))].join(".");
}

/** Throws when the key, the associated data or the ciphertext is not the one encrypted with. */
export async function decryptSecret(keyBase64: string, ciphertext: string, aad: string): Promise<string> {
  const key = await importKey(keyBase64);
  const [version, ivPart, dataPart, ...extra] = ciphertext.split(".");
  if (version !== FORMAT_VERSION || ivPart === undefined || dataPart === undefined || extra.length) {
    throw new Error("Encrypted secret is not in the v1.<iv>.<ciphertext> format");
  }
  const iv = base64ToBytes(ivPart);
  if (iv.length !== IV_BYTES) throw new Error("Encrypted secret has an IV of the wrong length");
  try {
    const plaintext = await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: encode(aad) }, key, base64ToBytes(dataPart));
    return new TextDecoder().decode(plaintext);
  } catch {
    // GCM does not say which input was wrong, and we must not guess in a message.
    throw new Error("Could not decrypt the secret: wrong key, wrong associated data or tampered data");
  }
}

// importKey is not free; a Worker isolate sees one key (two during a rotation), so an
// unbounded cache keyed by the base64 string stays tiny.
const keyCache = new Map<string, Promise<CryptoKey>>();

function importKey(keyBase64: string): Promise<CryptoKey> {
  const cached = keyCache.get(keyBase64);
  if (cached) return cached;
  // Validate before caching so a bad key is reported every time and never cached.
  let raw: Uint8Array<ArrayBuffer>;
  try {
    raw = base64ToBytes(keyBase64);
  } catch {
    return Promise.reject(new Error("SECRET_ENCRYPTION_KEY is not valid base64"));
  }
  if (raw.length !== KEY_BYTES) {
    return Promise.reject(new Error(`SECRET_ENCRYPTION_KEY must be base64 of ${KEY_BYTES} bytes, got ${raw.length} bytes`));
  }
  const key = crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  keyCache.set(keyBase64, key);
  key.catch(() => keyCache.delete(keyBase64));
  return key;
}

const encode = (text: string) => new TextEncoder().encode(text);
