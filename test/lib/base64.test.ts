// The one base64 module: standard base64 of bytes (keys, IVs, signatures) and URL-safe base64
// of text (cursors), both strict on input.
import { describe, expect, it } from "vitest";
import { base64ToBytes, base64UrlToText, bytesToBase64, textToBase64Url } from "../../src/lib/base64";

describe("bytes ↔ base64", () => {
  it("round-trips every byte value and matches the RFC 4648 vectors", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(base64ToBytes(bytesToBase64(all))).toEqual(all);
    expect(bytesToBase64(new TextEncoder().encode("foobar"))).toBe("Zm9vYmFy");
    expect(bytesToBase64(new TextEncoder().encode("fo"))).toBe("Zm8=");
  });

  it("throws an Error on input that is not base64", () => {
    expect(() => base64ToBytes("not base64!")).toThrow("Invalid base64 input");
  });
});

describe("text ↔ base64url", () => {
  it("is URL-safe and unpadded, and round-trips non-ASCII text", () => {
    const text = '{"t":1767225600000,"id":"wh_ü?>>"}';
    const encoded = textToBase64Url(text);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(base64UrlToText(encoded)).toBe(text);
  });

  it("reads cursors issued before this module (btoa of ASCII JSON)", () => {
    const json = '{"t":1767225600000,"id":"evt_0123"}';
    const legacy = btoa(json).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
    expect(textToBase64Url(json)).toBe(legacy);
    expect(base64UrlToText(legacy)).toBe(json);
  });

  it("throws on input that is not base64url of UTF-8", () => {
    expect(() => base64UrlToText("%%%")).toThrow();
    expect(() => base64UrlToText(textToBase64Url("x").slice(0, 1))).toThrow();
  });
});
