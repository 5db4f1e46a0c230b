// One-time portal codes: 32 random bytes, base64url, prefixed; only their SHA-256 is stored.
import { bytesToBase64Url } from "../lib/base64";
import { sha256Hex } from "../lib/sha256";

export const newPortalCode = () => `pc_${bytesToBase64Url(crypto.getRandomValues(new Uint8Array(32)))}`;

export const hashPortalCode = (code: string): Promise<string> => sha256Hex(code);
