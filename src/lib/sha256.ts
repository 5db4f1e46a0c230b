// SHA-256 of a string's UTF-8 bytes as lowercase hex: request fingerprints, stored portal-code
// hashes, ids derived from their inputs.
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
