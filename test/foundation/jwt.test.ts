// verifyToken directly: iss/aud are fixed per test run in the Worker's env, so the settings
// that turn them on are exercised here.
import { sign } from "hono/jwt";
import { afterEach, describe, expect, it, vi } from "vitest";
import { VERIFIED_TOKENS_KEPT, verifiedTokenCount, verifyToken } from "../../src/auth/jwt";

const SECRET = "unit-secret-0123456789abcdef0123456789abcdef";
const now = () => Math.floor(Date.now() / 1000);
const make = (extra: Record<string, unknown> = {}) => sign({ sub: "u1", org: "clinic-1", role: "staff", exp: now() + 60, ...extra }, SECRET, "HS256");

describe("verifyToken", () => {
  it("returns exactly sub, org and role of a valid token", async () => {
    expect(await verifyToken(await make({ extra: "ignored" }), { secret: SECRET })).toEqual({
      sub: "u1",
      org: "clinic-1",
      role: "staff",
    });
  });

  it("ignores iss and aud when none are configured", async () => {
    expect(await verifyToken(await make({ iss: "anyone", aud: "anything" }), { secret: SECRET })).not.toBeNull();
  });

  describe("with an issuer configured", () => {
    const settings = { secret: SECRET, issuer: "https://auth.purplecross.example" };
    it("accepts the issuer", async () => {
      expect(await verifyToken(await make({ iss: settings.issuer }), settings)).not.toBeNull();
    });
    it("rejects another issuer", async () => {
      expect(await verifyToken(await make({ iss: "https://evil.example" }), settings)).toBeNull();
    });
    it("rejects a token with no iss", async () => {
      expect(await verifyToken(await make(), settings)).toBeNull();
    });
  });

  describe("with an audience configured", () => {
    const settings = { secret: SECRET, audience: "purple-cross-automation" };
    it("accepts the audience, alone or in a list", async () => {
      expect(await verifyToken(await make({ aud: settings.audience }), settings)).not.toBeNull();
      expect(await verifyToken(await make({ aud: ["other", settings.audience] }), settings)).not.toBeNull();
    });
    it("rejects another audience", async () => {
      expect(await verifyToken(await make({ aud: "billing" }), settings)).toBeNull();
    });
    it("rejects a token with no aud", async () => {
      expect(await verifyToken(await make(), settings)).toBeNull();
    });
  });

  it("checks issuer and audience together", async () => {
    const settings = { secret: SECRET, issuer: "idp", audience: "pca" };
    expect(await verifyToken(await make({ iss: "idp", aud: "pca" }), settings)).not.toBeNull();
    expect(await verifyToken(await make({ iss: "idp", aud: "x" }), settings)).toBeNull();
    expect(await verifyToken(await make({ iss: "x", aud: "pca" }), settings)).toBeNull();
  });

  it("rejects garbage without throwing", async () => {
    for (const garbage of ["", ".", "..", "a.b.c", "x".repeat(5000), "eyJhbGciOiJIUzI1NiJ9.e30.x"]) {
      expect(await verifyToken(garbage, { secret: SECRET })).toBeNull();
    }
  });
});

// An isolate keeps the tokens it verified; a repeat must still be refused whenever a first
// presentation would be.
describe("verifyToken on a token it has verified before", () => {
  afterEach(() => vi.useRealTimers());

  it("refuses it once it has expired", async () => {
    const settings = { secret: SECRET };
    const token = await make({ exp: now() + 60 });
    expect(await verifyToken(token, settings)).not.toBeNull();
    vi.useFakeTimers({ now: Date.now() + 61_000, toFake: ["Date"] });
    expect(await verifyToken(token, settings)).toBeNull();
    expect(await verifyToken(token, settings)).toBeNull();
  });

  it("refuses it under other settings (another secret, issuer or audience)", async () => {
    const token = await make({ iss: "idp", aud: "pca" });
    expect(await verifyToken(token, { secret: SECRET, issuer: "idp", audience: "pca" })).not.toBeNull();
    expect(await verifyToken(token, { secret: "another-secret-0123456789abcdef0123456789" })).toBeNull();
    expect(await verifyToken(token, { secret: SECRET, issuer: "other" })).toBeNull();
    expect(await verifyToken(token, { secret: SECRET, audience: "other" })).toBeNull();
  });

  it("refuses the same claims with a tampered signature", async () => {
    const settings = { secret: SECRET };
    const token = await make();
    expect(await verifyToken(token, settings)).not.toBeNull();
    // A character inside the signature, not its last: the last one's low bits are base64url
    // padding that decoding ignores (A and B there decode alike), so swapping it was no tamper.
    const at = token.length - 10;
    const other = token[at] === "A" ? "B" : "A";
    expect(await verifyToken(`${token.slice(0, at)}${other}${token.slice(at + 1)}`, settings)).toBeNull();
    expect(await verifyToken(`${token}x`, settings)).toBeNull();
  });

  it("keeps at most VERIFIED_TOKENS_KEPT of them, and refused tokens never", async () => {
    const settings = { secret: SECRET };
    expect(await verifyToken(await sign({ sub: "u1", org: "clinic-1", role: "staff", exp: now() - 1 }, SECRET, "HS256"), settings)).toBeNull();
    expect(verifiedTokenCount(settings)).toBe(0);
    const tokens = await Promise.all(Array.from({ length: VERIFIED_TOKENS_KEPT + 5 }, (_, i) => make({ sub: `u${i}` })));
    for (const token of tokens) expect(await verifyToken(token, settings)).not.toBeNull();
    expect(verifiedTokenCount(settings)).toBe(VERIFIED_TOKENS_KEPT);
    // The oldest was dropped, not refused: it verifies afresh.
    expect(await verifyToken(tokens[0]!, settings)).toMatchObject({ sub: "u0" });
  });
});
