// Secure headers on every response, and CORS only for the CORS_ORIGINS allow-list
// (https://app.purplecross.example in the test config), never a reflection of the caller.
import { describe, expect, it } from "vitest";
import { call, token, uniqueOrg } from "../support";

const ALLOWED = "https://app.purplecross.example";

describe("secure headers", () => {
  it.each(["/health", "/nope", "/api/v1/webhooks/event-types", "/api/v1/openapi.json"])("are on %s", async (path) => {
    const res = await call("GET", path);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("cross-origin-resource-policy")).toBe("same-origin");
    expect(res.headers.get("x-powered-by")).toBeNull();
  });
});

describe("Cache-Control: no-store", () => {
  it("is on API answers, successes, errors and the ones carrying a secret", async () => {
    const t = await token(uniqueOrg(), "admin");
    const created = await call("POST", "/api/v1/webhooks", { token: t, body: { url: "https://hooks.example.com/", events: ["*"] } });
    expect(created.status).toBe(201);
    const rotated = await call("POST", `/api/v1/webhooks/${created.json.id}/regenerate-secret`, { token: t });
    expect(rotated.json.secret).toMatch(/^whsec_/);
    const answers = [
      created,
      rotated,
      await call("GET", "/api/v1/webhooks", { token: t }),
      await call("GET", "/api/v1/webhooks"),
      await call("GET", "/api/v1/webhooks/wh_missing", { token: t }),
    ];
    expect(answers.map((a) => a.status)).toEqual([201, 200, 200, 401, 404]);
    for (const answer of answers) expect(answer.headers.get("cache-control")).toBe("no-store");
  });
});

describe("CORS", () => {
  it("an allowed origin gets Access-Control-Allow-Origin on a normal call", async () => {
    const res = await call("GET", "/api/v1/webhooks/event-types", {
      token: await token(uniqueOrg(), "viewer"),
      headers: { origin: ALLOWED },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(res.headers.get("vary")).toContain("Origin");
    expect(res.headers.get("access-control-expose-headers")).toContain("x-request-id");
  });

  it("an allowed origin can read error bodies too (401)", async () => {
    const res = await call("GET", "/api/v1/webhooks/event-types", { headers: { origin: ALLOWED } });
    expect(res.status).toBe(401);
    expect(res.headers.get("access-control-allow-origin")).toBe(ALLOWED);
  });

  it("a preflight from an allowed origin is answered without a token", async () => {
    const res = await call("OPTIONS", "/api/v1/webhooks", {
      headers: {
        origin: ALLOWED,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    const allowed = res.headers.get("access-control-allow-headers")!.toLowerCase();
    for (const header of ["authorization", "content-type", "idempotency-key"]) expect(allowed).toContain(header);
    expect(res.headers.get("access-control-max-age")).toBe("600");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it.each(["https://evil.example", "https://app.purplecross.example.evil.example", "http://app.purplecross.example", "null"])(
    "the unknown origin %s gets no Access-Control-Allow-Origin",
    async (origin) => {
      const get = await call("GET", "/health", { headers: { origin } });
      expect(get.headers.get("access-control-allow-origin")).toBeNull();
      const preflight = await call("OPTIONS", "/api/v1/webhooks", {
        headers: { origin, "access-control-request-method": "POST" },
      });
      expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    },
  );

  it("a request without Origin gets no Access-Control-Allow-Origin (never a wildcard)", async () => {
    const res = await call("GET", "/health");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});
