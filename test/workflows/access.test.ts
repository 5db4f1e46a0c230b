// Tenancy: another org's workflow is a 404 that changes nothing.
import { describe, expect, it } from "vitest";
import { client, startWorkflow, uniqueOrg, workflowSnapshot } from "../support";
import { ACCESS_MATRIX } from "../support/access-matrix";

// Who may call what is the access matrix (test/foundation/access-matrix.test.ts); here, the
// workflow routes that name one workflow, asked by an admin of another org.
const ONE_WORKFLOW = Object.entries(ACCESS_MATRIX).filter(([key]) => key.includes("/workflows/{id}"));

describe("tenancy", () => {
  it("another org's workflow is 404 on every endpoint and nothing changes", async () => {
    const owner = await client(uniqueOrg("owner"), "staff");
    const wf = await startWorkflow(owner, { documentId: "shared-doc" });
    const before = await workflowSnapshot(owner.org, wf.id);
    const intruder = await client(uniqueOrg("intruder"), "admin");

    expect(ONE_WORKFLOW.length).toBeGreaterThanOrEqual(6);
    for (const [name, { ask }] of ONE_WORKFLOW) {
      const res = await ask(intruder, { workflowId: wf.id, webhookId: "", deliveryId: "", eventId: "", templateKey: "", taskId: "" });
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
    expect(await workflowSnapshot(owner.org, wf.id)).toEqual(before);
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
