// The auth matrix through the Worker's own fetch: every way a bearer token can be wrong is a
// 401 in the one error shape, and a valid token of any role reaches a read route.
import { env } from "cloudflare:test";
import { sign } from "hono/jwt";
import { describe, expect, it } from "vitest";
import { UNAUTHORIZED_MESSAGE } from "../../src/middleware/auth";
import { call, token, uniqueOrg } from "../support";
import { request, testApp } from "../support/app-harness";

const PATH = "/api/v1/webhooks/event-types";
const now = () => Math.floor(Date.now() / 1000);
const b64url = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");

/** A token with the given header and claims, signed HS256 with the real secret over whatever header it has. */
async function forgedHs256(header: Record<string, unknown>, claims: Record<string, unknown>) {
  const input = `${b64url(header)}.${b64url(claims)}`;
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(env.JWT_SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(input)));
  return `${input}.${btoa(String.fromCharCode(...mac))
    .replace(/=+$/, "")
    .replace(/\+/g, "-")
    .replace(/\//g, "_")}`;
}

const validClaims = (overrides: Record<string, unknown> = {}) => ({
  sub: "user-1",
  org: uniqueOrg(),
  role: "viewer",
  iat: now(),
  exp: now() + 300,
  ...overrides,
});
const without = (key: string) => {
  const claims: Record<string, unknown> = validClaims();
  delete claims[key];
  return claims;
};

// The same message for every failure (docs/ARCHITECTURE.md, decision 8): a missing header and a
// forged token must be indistinguishable.
function expectUnauthorized(res: Awaited<ReturnType<typeof call>>) {
  expect(res.status).toBe(401);
  expect(res.json).toEqual({ error: { code: "unauthorized", message: UNAUTHORIZED_MESSAGE } });
  expect(res.headers.get("x-request-id")).toBeTruthy();
}

describe("authentication: 401 for every bad credential", () => {
  const headerCases: [string, Record<string, string>][] = [
    ["no Authorization header", {}],
    ["a Basic scheme", { authorization: "Basic dXNlcjpwYXNz" }],
    ["Bearer with no token", { authorization: "Bearer " }],
    ["a token that is not a JWT", { authorization: "Bearer not-a-jwt" }],
    ["two tokens", { authorization: "Bearer a.b.c d.e.f" }],
  ];
  it.each(headerCases)("%s", async (_, headers) => {
    expectUnauthorized(await call("GET", PATH, { headers }));
  });

  const tokenCases: [string, () => Promise<string>][] = [
    ["a wrong secret", () => sign(validClaims(), "not-the-secret-0123456789abcdef", "HS256")],
    ["alg none", async () => `${b64url({ alg: "none", typ: "JWT" })}.${b64url(validClaims())}.`],
    ["alg none with a signature", () => forgedHs256({ alg: "none", typ: "JWT" }, validClaims())],
    ["HS384", () => sign(validClaims(), env.JWT_SECRET, "HS384")],
    ["HS512", () => sign(validClaims(), env.JWT_SECRET, "HS512")],
    ["an RS256 header (key confusion)", () => forgedHs256({ alg: "RS256", typ: "JWT" }, validClaims())],
    ["an expired token", () => sign(validClaims({ iat: now() - 600, exp: now() - 10 }), env.JWT_SECRET, "HS256")],
    ["a token without exp", () => sign(without("exp"), env.JWT_SECRET, "HS256")],
    ["a string exp", () => sign(validClaims({ exp: String(now() + 300) }), env.JWT_SECRET, "HS256")],
    ["a token not yet valid (nbf)", () => sign(validClaims({ nbf: now() + 600 }), env.JWT_SECRET, "HS256")],
    ["a token without org", () => sign(without("org"), env.JWT_SECRET, "HS256")],
    ["an org with bad characters", () => sign(validClaims({ org: "clinic/1" }), env.JWT_SECRET, "HS256")],
    ["an org of 65 characters", () => sign(validClaims({ org: "a".repeat(65) }), env.JWT_SECRET, "HS256")],
    ["an empty org", () => sign(validClaims({ org: "" }), env.JWT_SECRET, "HS256")],
    ["a numeric org", () => sign(validClaims({ org: 42 }), env.JWT_SECRET, "HS256")],
    ["an unknown role", () => sign(validClaims({ role: "owner" }), env.JWT_SECRET, "HS256")],
    ["a token without role", () => sign(without("role"), env.JWT_SECRET, "HS256")],
    ["a token without sub", () => sign(without("sub"), env.JWT_SECRET, "HS256")],
    ["an empty sub", () => sign(validClaims({ sub: "" }), env.JWT_SECRET, "HS256")],
    [
      "a tampered payload",
      async () => {
        const [h, , s] = (await token(uniqueOrg(), "viewer")).split(".");
        return `${h}.${b64url(validClaims({ role: "admin" }))}.${s}`;
      },
    ],
  ];
  it.each(tokenCases)("%s", async (_, make) => {
    expectUnauthorized(await call("GET", PATH, { token: await make() }));
  });

  it("an org of exactly 64 allowed characters is accepted", async () => {
    const t = await sign(validClaims({ org: `A-z_9${"x".repeat(59)}` }), env.JWT_SECRET, "HS256");
    expect((await call("GET", PATH, { token: t })).status).toBe(200);
  });

  it("the scheme name is case-insensitive", async () => {
    const t = await token(uniqueOrg(), "viewer");
    expect((await call("GET", PATH, { headers: { authorization: `bearer ${t}` } })).status).toBe(200);
  });

  it("any unknown /api/v1 path still needs a token (no route discovery without one)", async () => {
    expectUnauthorized(await call("GET", "/api/v1/no-such-thing"));
  });
});

describe("authorisation", () => {
  it.each(["viewer", "staff", "admin", "service"] as const)("a %s may read the event catalog", async (role) => {
    const res = await call("GET", PATH, { token: await token(uniqueOrg(), role) });
    expect(res.status).toBe(200);
    expect(res.json.data).toContainEqual(expect.objectContaining({ type: "webhook.test", description: expect.any(String) }));
  });
});

describe("requirePermission", () => {
  const app = testApp();
  it.each([
    ["viewer", 403],
    ["staff", 403],
    ["service", 403],
    ["admin", 200],
  ] as const)("a %s on an admin-only route gets %i", async (role, status) => {
    const res = await request(app, "/api/v1/test-admin-only", {
      headers: { authorization: `Bearer ${await token(uniqueOrg(), role)}` },
    });
    expect(res.status).toBe(status);
    if (status === 403) expect(res.json).toEqual({ error: { code: "forbidden", message: expect.any(String) } });
  });

  it("checks the token before the role: no token is 401, not 403", async () => {
    const res = await request(app, "/api/v1/test-admin-only");
    expect(res.status).toBe(401);
  });
});

describe("iss and aud when not configured", () => {
  it("accepts any iss and aud (JWT_ISSUER and JWT_AUDIENCE are empty in the test config)", async () => {
    const t = await token(uniqueOrg(), "viewer", { iss: "whoever", aud: ["a", "b"] });
    expect((await call("GET", PATH, { token: t })).status).toBe(200);
  });
});
