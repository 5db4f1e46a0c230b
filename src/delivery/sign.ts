// Standard Webhooks v1 signing (https://www.standardwebhooks.com): HMAC-SHA256 over
// "{webhook-id}.{webhook-timestamp}.{body}", keyed with the base64-decoded part of a
// `whsec_…` secret. Pure: the same inputs give the same header, so tests use fixed vectors and
// any Standard Webhooks verifier (the `standardwebhooks` npm package, svix) accepts the output.

import { base64ToBytes, bytesToBase64 } from "../lib/base64";

const SECRET_PREFIX = "whsec_";
const encoder = new TextEncoder();

/** The HMAC key of a secret: the bytes after `whsec_`, base64-decoded (the prefix is optional, as in the spec's libraries). */
export function secretKeyBytes(secret: string): Uint8Array<ArrayBuffer> {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = base64ToBytes(encoded);
  } catch {
    throw new Error("webhook secret is not valid base64");
  }
  if (bytes.length === 0) throw new Error("webhook secret is empty");
  return bytes;
}

/** One `v1,<base64>` token for one secret. */
export async function signToken(secret: string, msgId: string, timestamp: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", secretKeyBytes(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${msgId}.${timestamp}.${body}`));
  return `v1,${bytesToBase64(new Uint8Array(mac))}`;
}

/**
 * The `webhook-signature` value: one token per live secret, space-separated. During a rotation
 * grace both the new and the previous secret sign, so a receiver that still holds either verifies.
 */
export async function signatureHeader(secrets: string[], msgId: string, timestamp: number, body: string): Promise<string> {
  if (secrets.length === 0) throw new Error("at least one secret is needed to sign");
  const tokens = await Promise.all(secrets.map((s) => signToken(s, msgId, timestamp, body)));
  return tokens.join(" ");
}

export interface OutgoingEvent {
  id: string;
  type: string;
  createdAt: Date;
  data: Record<string, unknown>;
}

/**
 * The request body. `timestamp` is the event's creation time, not the attempt's, so every retry
 * sends the same bytes and a receiver deduplicating on `webhook-id` sees one payload.
 */
export function eventBody(event: OutgoingEvent): string {
  return JSON.stringify({ id: event.id, type: event.type, timestamp: event.createdAt.toISOString(), data: event.data });
}

/** Unix seconds, as `webhook-timestamp` carries them. */
export const unixSeconds = (at: Date) => Math.floor(at.getTime() / 1000);
