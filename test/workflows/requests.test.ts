// Bounds and validation (400, nothing written), lists, pages and filters.
import { describe, expect, it } from "vitest";
import { type ApiResponse, client, eventsOfOrg, startWorkflow, uniqueOrg, workflowSnapshot } from "../support";

const valid = { documentId: "doc-1", workflowType: "approval", steps: ["a"] };

describe("validation", () => {
  const badCreates: [string, unknown][] = [
    ["no steps", { ...valid, steps: [] }],
    ["51 steps", { ...valid, steps: Array.from({ length: 51 }, (_, i) => `s${i}`) }],
    ["empty step name", { ...valid, steps: [""] }],
    ["101-char step name", { ...valid, steps: ["x".repeat(101)] }],
    ["129-char documentId", { ...valid, documentId: "d".repeat(129) }],
    ["129-char workflowType", { ...valid, workflowType: "t".repeat(129) }],
    ["257-char assignedTo", { ...valid, assignedTo: "a".repeat(257) }],
    ["metadata over 8 KiB", { ...valid, metadata: { blob: "x".repeat(8 * 1024) } }],
    ["metadata not an object", { ...valid, metadata: [1, 2] }],
    ["unknown field", { ...valid, status: "completed" }],
    ["missing documentId", { workflowType: "t", steps: ["a"] }],
  ];
  it.each(badCreates)("create rejects %s with 400 and writes nothing", async (_, body) => {
    const staff = await client(uniqueOrg(), "staff");
    const res = await staff.post("/api/v1/workflows", body);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_error");
    expect((await staff.get("/api/v1/workflows")).json.data).toEqual([]);
    expect(await eventsOfOrg(staff.org)).toEqual([]);
  });

  it("accepts the bounds themselves: 50 steps of 100 chars, metadata just under 8 KiB", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const steps = Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(100, "x"));
    const wf = await startWorkflow(staff, { steps, metadata: { blob: "x".repeat(8 * 1024 - 20) } });
    expect(wf.totalSteps).toBe(50);
  });

  const badChanges: [string, string, "post" | "put", unknown][] = [
    ["advance with unknown field", "advance", "post", { step: 2 }],
    ["advance with expectedStep 0", "advance", "post", { expectedStep: 0 }],
    ["advance with fractional expectedStep", "advance", "post", { expectedStep: 1.5 }],
    ["advance with a 1001-char comment", "advance", "post", { comment: "c".repeat(1001) }],
    ["fail without reason", "fail", "post", {}],
    ["cancel with a 1001-char reason", "cancel", "post", { reason: "r".repeat(1001) }],
    ["update with nothing", "", "put", {}],
    ["update of status", "", "put", { status: "completed" }],
    ["update with null workflowType", "", "put", { workflowType: null }],
    ["update with metadata over 8 KiB", "", "put", { metadata: { blob: "x".repeat(9000) } }],
  ];
  it.each(badChanges)("%s: 400, nothing changed", async (_, path, method, body) => {
    const staff = await client(uniqueOrg(), "staff");
    const wf = await startWorkflow(staff);
    const before = await workflowSnapshot(staff.org, wf.id);
    const url = `/api/v1/workflows/${wf.id}${path ? `/${path}` : ""}`;
    const res = method === "put" ? await staff.put(url, body) : await staff.post(url, body);
    expect(res.status).toBe(400);
    expect(await workflowSnapshot(staff.org, wf.id)).toEqual(before);
  });

  it("rejects bad list queries", async () => {
    const viewer = await client(uniqueOrg(), "viewer");
    for (const q of ["status=done", "limit=0", "limit=101", "cursor=%%%", `documentId=${"d".repeat(129)}`]) {
      expect((await viewer.get(`/api/v1/workflows?${q}`)).status, q).toBe(400);
    }
  });
});

describe("lists", () => {
  it("pages newest first with filters by status and documentId", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const made: Awaited<ReturnType<typeof startWorkflow>>[] = [];
    for (let i = 0; i < 5; i++) made.push(await startWorkflow(staff, { documentId: i % 2 ? "odd" : "even", steps: ["only"] }));
    await staff.post(`/api/v1/workflows/${made[0]!.id}/advance`, {});
    await staff.post(`/api/v1/workflows/${made[3]!.id}/cancel`, {});
    const newestFirst = [...made]
      .sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1))
      .map((w) => w.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: ApiResponse = await staff.get(`/api/v1/workflows?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      expect(res.json.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.json.data.map((w: { id: string }) => w.id));
      cursor = res.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(newestFirst);

    const ids = async (q: string) => (await staff.get(`/api/v1/workflows?${q}`)).json.data.map((w: { id: string }) => w.id);
    expect(await ids("status=completed")).toEqual([made[0]!.id]);
    expect(await ids("status=cancelled")).toEqual([made[3]!.id]);
    expect(await ids("documentId=odd")).toEqual(newestFirst.filter((id) => id === made[1]!.id || id === made[3]!.id));
    expect(await ids("documentId=odd&status=in_progress")).toEqual([made[1]!.id]);

    const doc = await staff.get("/api/v1/workflows/document/even");
    expect(doc.json).toEqual({ data: expect.any(Array) });
    expect(doc.json.data.map((w: { id: string }) => w.id)).toEqual(await ids("documentId=even"));

    expect((await staff.get("/api/v1/workflows/stats")).json).toEqual({
      total: 5,
      byStatus: { in_progress: 3, completed: 1, cancelled: 1, failed: 0 },
    });
  });

  it("history pages oldest first", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const wf = await startWorkflow(staff, { steps: ["a", "b", "c", "d"] });
    for (let i = 0; i < 4; i++) await staff.post(`/api/v1/workflows/${wf.id}/advance`, {});
    const first = await staff.get(`/api/v1/workflows/${wf.id}/history?limit=3`);
    expect(first.json.data.map((h: { action: string }) => h.action)).toEqual(["created", "advanced", "advanced"]);
    const rest = await staff.get(`/api/v1/workflows/${wf.id}/history?limit=3&cursor=${first.json.nextCursor}`);
    expect(rest.json.data.map((h: { toStep: number }) => h.toStep)).toEqual([4, 4]);
    expect(rest.json.nextCursor).toBeNull();
    expect((await staff.get(`/api/v1/workflows/${wf.id}/history?cursor=bogus`)).status).toBe(400);
  });
});
