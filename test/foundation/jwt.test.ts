// verifyToken directly: iss/aud are fixed per test run in the Worker's env, so the settings
// that turn them on are exercised here.
import { sign } from "hono/jwt";
import { describe, expect, it } from "vitest";
import { verifyToken } from "../../src/auth/jwt";

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
