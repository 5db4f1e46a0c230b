// Every API request runs in one D1 session (src/db/session.ts): responses that queried D1
// carry its bookmark, a client may send one back, and a malformed one is a 400 that changes
// nothing.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { client, uniqueOrg } from "../support";

const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;
const workflow = { documentId: "doc-1", workflowType: "approval", steps: ["a", "b"] };

describe("D1 sessions and x-d1-bookmark", () => {
  it("a write and a read both answer with a bookmark, and the read accepts the write's", async () => {
    const as = await client(uniqueOrg("session"), "admin");
    const created = await as.post("/api/v1/workflows", workflow);
    expect(created.status).toBe(201);
    const written = created.headers.get("x-d1-bookmark");
    expect(written).toMatch(BOOKMARK);

    const read = await as.get(`/api/v1/workflows/${created.json.id}`, { "x-d1-bookmark": written! });
    expect(read.status).toBe(200);
    expect(read.json.id).toBe(created.json.id);
    // Never older than the bookmark the client sent (bookmarks sort by commit order).
    expect(read.headers.get("x-d1-bookmark")! >= written!).toBe(true);
  });

  it("a malformed bookmark is a 400 validation_error, and a write that carried one commits nothing", async () => {
    const as = await client(uniqueOrg("session-bad"), "admin");
    const read = await as.get("/api/v1/workflows", { "x-d1-bookmark": "not-a-bookmark" });
    expect(read.status).toBe(400);
    expect(read.json.error.code).toBe("validation_error");
    expect(read.json.error.details).toEqual([{ path: "x-d1-bookmark", message: expect.any(String) }]);

    const write = await as.post("/api/v1/workflows", workflow, { "x-d1-bookmark": "'; DROP TABLE workflows; --" });
    expect(write.status).toBe(400);
    const { results } = await env.DB.prepare("SELECT id FROM workflows WHERE org = ?").bind(as.org).all();
    expect(results).toEqual([]);
  });

  it("a response that never queried D1 carries no bookmark", async () => {
    const as = await client(uniqueOrg("session-none"), "viewer");
    const res = await as.get("/api/v1/webhooks/event-types");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-d1-bookmark")).toBeNull();
  });
});
