// Per-org rate limiting through the RATE_LIMITER binding (100 requests per 60 s in the test
// config, vitest.config.ts): the 101st request of one org is a 429, other orgs are untouched.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, inOneWindow, token, uniqueOrg } from "../support";

const PATH = "/api/v1/webhooks/event-types";
const LIMIT = 100;
describe("rate limiting", () => {
  it("answers 429 rate_limited with Retry-After once an org passes its limit, and only for that org", async () => {
    const { statuses, limited, otherUser } = await inOneWindow(async () => {
      const org = uniqueOrg("busy");
      const viewer = await token(org, "viewer");
      const statuses: number[] = [];
      // Sequential, so the cut-off is exact.
      for (let i = 0; i < LIMIT; i++) statuses.push((await call("GET", PATH, { token: viewer })).status);
      const limited = await call("GET", PATH, { token: viewer });
      // The budget is the org's, not the user's: another user and role of the org is limited too.
      const admin = await token(org, "admin", { sub: "someone-else" });
      const otherUser = await call("GET", PATH, { token: admin });
      return { statuses, limited, otherUser };
    });
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ error: { code: "rate_limited", message: expect.any(String) } });
    expect(limited.headers.get("retry-after")).toBe("60");
    expect(limited.headers.get("x-request-id")).toBeTruthy();
    expect(otherUser.status).toBe(429);

    // Another org is unaffected.
    expect((await call("GET", PATH, { token: await token(uniqueOrg("calm"), "viewer") })).status).toBe(200);
  });

  it("over the limit, a read is answered 429 without its data and a write changes nothing", async () => {
    const { org, created, earlier, read, missing, write } = await inOneWindow(async () => {
      const org = uniqueOrg("spent");
      const admin = await token(org, "admin");
      const body = (documentId: string) => ({ documentId, workflowType: "approval", steps: ["a"] });
      const created = await call("POST", "/api/v1/workflows", { token: admin, body: body("doc-1") });
      const earlier: number[] = [];
      for (let i = 1; i < LIMIT; i++) earlier.push((await call("GET", PATH, { token: admin })).status);
      // The read's handler runs alongside the limiter, but its answer is replaced by the 429.
      const read = await call("GET", `/api/v1/workflows/${created.json.id}`, { token: admin });
      // A read that would have been a 404 is a 429 too: over the limit, nothing is disclosed.
      const missing = await call("GET", "/api/v1/workflows/wf_missing", { token: admin });
      // A write waits for the verdict, so a refused one never reaches its handler.
      const write = await call("POST", "/api/v1/workflows", { token: admin, body: body("doc-2") });
      return { org, created, earlier, read, missing, write };
    });
    expect(created.status).toBe(201);
    expect(earlier.filter((s) => s !== 200)).toEqual([]);
    expect(read.status).toBe(429);
    expect(read.json).toEqual({ error: { code: "rate_limited", message: expect.any(String) } });
    expect(read.text).not.toContain(created.json.id);
    expect(missing.status).toBe(429);
    expect(write.status).toBe(429);
    const { results } = await env.DB.prepare("SELECT document_id FROM workflows WHERE org = ?").bind(org).all();
    expect(results).toEqual([{ document_id: "doc-1" }]);
  });

  it("a browser on an allowed origin can read Retry-After", async () => {
    const res = await call("GET", "/health", { headers: { origin: "https://app.purplecross.example" } });
    expect(res.headers.get("access-control-expose-headers")?.toLowerCase()).toContain("retry-after");
  });
});
