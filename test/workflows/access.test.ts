// Roles and tenancy: who may do what, and another org's workflow is a 404 that changes nothing.
import { describe, expect, it } from "vitest";
import type { Role } from "../../src/auth/roles";
import { call, client, uniqueOrg } from "../helpers";
import { snapshot, startWorkflow } from "./helpers";

type Ask = (as: Awaited<ReturnType<typeof client>>, id: string) => Promise<{ status: number }>;

const ENDPOINTS: Record<string, { ask: Ask; ok: number; roles: Role[] }> = {
  create: {
    ask: (as) => as.post("/api/v1/workflows", { documentId: "d", workflowType: "t", steps: ["a", "b"] }),
    ok: 201,
    roles: ["staff", "service", "admin"],
  },
  list: { ask: (as) => as.get("/api/v1/workflows"), ok: 200, roles: ["viewer", "staff", "service", "admin"] },
  stats: { ask: (as) => as.get("/api/v1/workflows/stats"), ok: 200, roles: ["viewer", "staff", "service", "admin"] },
  document: { ask: (as) => as.get("/api/v1/workflows/document/doc-1"), ok: 200, roles: ["viewer", "staff", "service", "admin"] },
  get: { ask: (as, id) => as.get(`/api/v1/workflows/${id}`), ok: 200, roles: ["viewer", "staff", "service", "admin"] },
  history: { ask: (as, id) => as.get(`/api/v1/workflows/${id}/history`), ok: 200, roles: ["viewer", "staff", "service", "admin"] },
  update: { ask: (as, id) => as.put(`/api/v1/workflows/${id}`, { assignedTo: "x" }), ok: 200, roles: ["staff", "admin"] },
  advance: { ask: (as, id) => as.post(`/api/v1/workflows/${id}/advance`, {}), ok: 200, roles: ["staff", "service", "admin"] },
  cancel: { ask: (as, id) => as.post(`/api/v1/workflows/${id}/cancel`, {}), ok: 200, roles: ["staff", "admin"] },
  fail: { ask: (as, id) => as.post(`/api/v1/workflows/${id}/fail`, { reason: "r" }), ok: 200, roles: ["staff", "admin"] },
};
const ROLES: Role[] = ["viewer", "staff", "service", "admin"];

describe("roles", () => {
  for (const [name, { ask, ok, roles }] of Object.entries(ENDPOINTS)) {
    for (const role of ROLES) {
      const allowed = roles.includes(role);
      it(`${role} ${allowed ? "may" : "may not"} ${name}`, async () => {
        const org = uniqueOrg();
        const wf = await startWorkflow(await client(org, "admin"));
        const before = await snapshot(org, wf.id);
        const res = await ask(await client(org, role), wf.id);
        expect(res.status).toBe(allowed ? ok : 403);
        if (!allowed) expect(await snapshot(org, wf.id)).toEqual(before);
      });
    }
  }

  it("no token: 401", async () => {
    expect((await call("GET", "/api/v1/workflows")).status).toBe(401);
    expect((await call("POST", "/api/v1/workflows/wf_x/advance", { body: {} })).status).toBe(401);
  });
});

describe("tenancy", () => {
  it("another org's workflow is 404 on every endpoint and nothing changes", async () => {
    const owner = await client(uniqueOrg("owner"), "staff");
    const wf = await startWorkflow(owner, { documentId: "shared-doc" });
    const before = await snapshot(owner.org, wf.id);
    const intruder = await client(uniqueOrg("intruder"), "admin");

    for (const name of ["get", "history", "update", "advance", "cancel", "fail"]) {
      const res = (await ENDPOINTS[name]!.ask(intruder, wf.id)) as { status: number; json: any; text: string };
      expect(res.status, name).toBe(404);
      expect(res.json.error.code).toBe("not_found");
      expect(res.text).not.toContain(wf.id.slice(3));
    }
    expect((await intruder.get("/api/v1/workflows")).json.data).toEqual([]);
    expect((await intruder.get("/api/v1/workflows/document/shared-doc")).json.data).toEqual([]);
    expect((await intruder.get("/api/v1/workflows/stats")).json).toEqual({
      total: 0,
      byStatus: { in_progress: 0, completed: 0, cancelled: 0, failed: 0 },
    });
    expect(await snapshot(owner.org, wf.id)).toEqual(before);
  });

  it("unknown and malformed ids are 404", async () => {
    const staff = await client(uniqueOrg(), "staff");
    for (const id of ["wf_00000000000000000000000000000000", "nope", "wf_%2e%2e"]) {
      expect((await staff.get(`/api/v1/workflows/${id}`)).status, id).toBe(404);
      expect((await staff.post(`/api/v1/workflows/${id}/advance`, {})).status, id).toBe(404);
      expect((await staff.get(`/api/v1/workflows/${id}/history`)).status, id).toBe(404);
    }
  });
});
