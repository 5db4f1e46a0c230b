// `npm run token` (scripts/token-claims.mjs; argument parsing stays in scripts/token.mjs): the tokens it makes are accepted by the Worker,
// and bad arguments are refused with a message instead of a stack trace or a useless token.
import { env } from "cloudflare:test";
import { sign } from "hono/jwt";
import { describe, expect, it } from "vitest";
import { tokenClaims } from "../../scripts/token-claims.mjs";
import { verifyToken } from "../../src/auth/jwt";
import { call } from "../support";

const NOW = 1_800_000_000;

describe("npm run token", () => {
  it("makes a token the Worker accepts", async () => {
    const result = tokenClaims({ org: "clinic-1", role: "viewer" }, {}, Math.floor(Date.now() / 1000));
    if (!result.ok) throw new Error(result.error);
    const res = await call("GET", "/api/v1/webhooks/event-types", { token: await sign(result.claims, env.JWT_SECRET, "HS256") });
    expect(res.status).toBe(200);
  });

  it("defaults to sub local-dev and one hour", () => {
    expect(tokenClaims({ org: "c1", role: "admin" }, {}, NOW)).toEqual({
      ok: true,
      claims: { sub: "local-dev", org: "c1", role: "admin", iat: NOW, exp: NOW + 3600 },
    });
  });

  it("takes --sub and --ttl, and adds iss/aud when .dev.vars sets them", async () => {
    const vars = { JWT_ISSUER: "idp", JWT_AUDIENCE: "pca" };
    const result = tokenClaims({ org: "c1", role: "service", sub: "billing", ttl: "60" }, vars, NOW);
    expect(result).toEqual({
      ok: true,
      claims: { sub: "billing", org: "c1", role: "service", iat: NOW, exp: NOW + 60, iss: "idp", aud: "pca" },
    });
    const live = tokenClaims({ org: "c1", role: "service" }, vars, Math.floor(Date.now() / 1000));
    if (!live.ok) throw new Error(live.error);
    const secret = "s".repeat(32);
    expect(await verifyToken(await sign(live.claims, secret, "HS256"), { secret, issuer: "idp", audience: "pca" })).not.toBeNull();
  });

  it.each([
    ["no org", { role: "viewer" }],
    ["a bad org", { org: "a/b", role: "viewer" }],
    ["an org of 65 characters", { org: "a".repeat(65), role: "viewer" }],
    ["no role", { org: "c1" }],
    ["an unknown role", { org: "c1", role: "owner" }],
    ["an empty sub", { org: "c1", role: "viewer", sub: "" }],
    ["a zero ttl", { org: "c1", role: "viewer", ttl: "0" }],
    ["a fractional ttl", { org: "c1", role: "viewer", ttl: "1.5" }],
    ["a ttl with units", { org: "c1", role: "viewer", ttl: "1h" }],
  ])("refuses %s", (_, args) => {
    const result = tokenClaims(args, {}, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/\S/);
  });
});
