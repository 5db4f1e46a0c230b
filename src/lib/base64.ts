// Standard (not URL-safe) base64 for binary data, via btoa/atob, which only speak "binary
// strings" (one char per byte). Meant for small values: keys, IVs, secrets, signatures.

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Throws an Error (not atob's DOMException) when the input is not valid base64. */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  let binary: string;
  try {
    binary = atob(base64);
  } catch {
    throw new Error("Invalid base64 input");
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** URL-safe base64 (RFC 4648 §5, no padding) of bytes: opaque tokens such as portal codes. */
export const bytesToBase64Url = (bytes: Uint8Array) => bytesToBase64(bytes).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

/** bytesToBase64Url of a string's UTF-8 bytes: opaque tokens such as list cursors. */
export const textToBase64Url = (text: string) => bytesToBase64Url(new TextEncoder().encode(text));

/** The string textToBase64Url encoded; throws an Error when the input is not URL-safe base64 of UTF-8. */
export function base64UrlToText(base64url: string): string {
  const bytes = base64ToBytes(base64url.replaceAll("-", "+").replaceAll("_", "/"));
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
}
