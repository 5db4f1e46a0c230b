// POST /portal-access and its exchange: a one-time code, never a token, in the link; the code
// works once (also under concurrent exchanges), only within 10 minutes, for the caller's org.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { hashPortalCode } from "../../src/auth/portal-code";
import { portalCodes } from "../../src/db/schema";
import { call, client, db, inOneWindow, uniqueOrg } from "../support";

async function portalLink(role: "admin" | "service" = "admin", body: Record<string, unknown> = {}) {
  const caller = await client(uniqueOrg("portal"), role);
  const res = await caller.post("/api/v1/portal-access", body);
  expect(res.status, res.text).toBe(201);
  const code = new URL(res.json.url).hash.replace(/^#code=/, "");
  return { caller, res, code };
}

const exchange = (code: string) => call("POST", "/api/v1/portal-access/exchange", { body: { code } });

describe("POST /api/v1/portal-access", () => {
  it("answers a link to /portal with the code in the fragment and a 10-minute expiry", async () => {
    const before = Date.now();
    const { res, code } = await portalLink();
    const url = new URL(res.json.url);
    expect(url.origin).toBe("https://automation.test");
    expect(url.pathname).toBe("/portal");
    expect(url.search).toBe("");
    expect(code).toMatch(/^pc_[A-Za-z0-9_-]{43}$/);
    const expiresAt = Date.parse(res.json.expiresAt);
    expect(expiresAt - before).toBeGreaterThanOrEqual(600_000 - 1000);
    expect(expiresAt - before).toBeLessThanOrEqual(600_000 + 5000);
  });

  it("stores only the code's hash", async () => {
    const { code } = await portalLink();
    const [row] = await db
      .select()
      .from(portalCodes)
      .where(eq(portalCodes.codeHash, await hashPortalCode(code)));
    expect(row).toBeDefined();
    expect(JSON.stringify(row)).not.toContain(code);
  });

  it.each(["viewer", "staff"] as const)("is 403 for %s", async (role) => {
    const res = await (await client(uniqueOrg(), role)).post("/api/v1/portal-access", {});
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("forbidden");
  });

  it("is 401 without a token", async () => {
    expect((await call("POST", "/api/v1/portal-access", { body: {} })).status).toBe(401);
  });

  it.each([
    [{ role: "service" }, "role"],
    [{ role: "owner" }, "role"],
    [{ ttlSeconds: 10 }, "ttlSeconds"],
    [{ ttlSeconds: 86_401 }, "ttlSeconds"],
    [{ org: "other" }, ""],
  ])("refuses %j with a 400 validation_error", async (body, path) => {
    const res = await (await client(uniqueOrg(), "admin")).post("/api/v1/portal-access", body);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_error");
    if (path) expect(res.json.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });
});

describe("POST /api/v1/portal-access/exchange", () => {
  it("trades the code once for a session token of the caller's org, with the asked role, sub and lifetime", async () => {
    const before = Math.floor(Date.now() / 1000);
    const { caller, code } = await portalLink("service", { role: "staff", sub: "dr.jones", ttlSeconds: 900 });
    const res = await exchange(code);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ org: caller.org, role: "staff", sub: "dr.jones" });
    const lifetime = Date.parse(res.json.expiresAt) / 1000 - before;
    expect(lifetime).toBeGreaterThanOrEqual(899);
    expect(lifetime).toBeLessThanOrEqual(905);

    const workflows = await call("GET", "/api/v1/workflows", { token: res.json.token });
    expect(workflows.status).toBe(200);
    // staff may not manage webhooks: the token carries exactly the granted role.
    const create = await call("POST", "/api/v1/webhooks", { token: res.json.token, body: { url: "https://x.example", events: ["*"] } });
    expect(create.status).toBe(403);
  });

  it("defaults to admin and the caller's sub", async () => {
    const { caller, code } = await portalLink("admin");
    const res = await exchange(code);
    expect(res.json).toMatchObject({ org: caller.org, role: "admin", sub: "admin-user" });
  });

  it("refuses a used code with 401", async () => {
    const { code } = await portalLink();
    expect((await exchange(code)).status).toBe(200);
    const again = await exchange(code);
    expect(again.status).toBe(401);
    expect(again.json.error.code).toBe("unauthorized");
    expect(again.json.error.message).toMatch(/already used or has expired/);
  });

  it("lets exactly one of many concurrent exchanges through", async () => {
    const { code } = await portalLink();
    const results = await Promise.all(Array.from({ length: 8 }, () => exchange(code)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401, 401, 401, 401]);
  });

  it("refuses an expired code", async () => {
    const { code } = await portalLink();
    await db
      .update(portalCodes)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(portalCodes.codeHash, await hashPortalCode(code)));
    expect((await exchange(code)).status).toBe(401);
  });

  it("refuses an unknown code and a malformed body", async () => {
    expect((await exchange("pc_nope")).status).toBe(401);
    const bad = await call("POST", "/api/v1/portal-access/exchange", { body: { code: "" } });
    expect(bad.status).toBe(400);
    const extra = await call("POST", "/api/v1/portal-access/exchange", { body: { code: "pc_x", org: "other" } });
    expect(extra.status).toBe(400);
  });
});

describe("the sign-in routes' rate limit", () => {
  it("is per client address: over the limit a client gets 429 with Retry-After, another client still gets in", async () => {
    const exchangeFrom = (ip: string) =>
      call("POST", "/api/v1/portal-access/exchange", { body: { code: "pc_nope" }, headers: { "cf-connecting-ip": ip } });
    let run = 0;
    const { statuses, limited } = await inOneWindow(async () => {
      // A fresh address per run: a run that crossed a window boundary spent part of the next one.
      const address = `203.0.113.${++run}`;
      const statuses: number[] = [];
      // The test binding allows 100 requests per 60 s per key (vitest.config.ts).
      for (let i = 0; i < 100; i++) statuses.push((await exchangeFrom(address)).status);
      return { statuses, limited: await exchangeFrom(address) };
    });
    expect(statuses.every((s) => s === 401)).toBe(true);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
    expect((await exchangeFrom("198.51.100.9")).status).toBe(401);
  });
});
