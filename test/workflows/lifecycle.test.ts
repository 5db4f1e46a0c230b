import { describe, expect, it } from "vitest";
import { call, client, historyRows, startWorkflow, statsOf, uniqueOrg, workflowSnapshot } from "../support";

describe("workflow lifecycle", () => {
  it("starts in_progress at step 1 of N", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const wf = await startWorkflow(staff, { assignedTo: "vet-7", metadata: { clinic: "north" } });
    expect(wf).toEqual({
      id: expect.stringMatching(/^wf_[0-9a-f]{32}$/),
      documentId: "doc-1",
      workflowType: "approval",
      steps: ["review", "approve", "sign"],
      currentStep: 1,
      totalSteps: 3,
      status: "in_progress",
      assignedTo: "vet-7",
      metadata: { clinic: "north" },
      createdAt: expect.any(String),
      updatedAt: wf.createdAt,
      completedAt: null,
      // Contract: linear workflows answer the template-instance fields as null and [].
      template: null,
      templateVersion: null,
      input: null,
      data: null,
      activeSteps: [],
      openTasks: [],
    });
    expect((await staff.get(`/api/v1/workflows/${wf.id}`)).json).toEqual(wf);
  });

  it("N steps take exactly N advances; the last completes at step N", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const wf = await startWorkflow(staff);
    const a1 = await staff.post(`/api/v1/workflows/${wf.id}/advance`, { comment: "looks fine" });
    expect(a1.status).toBe(200);
    expect(a1.json).toMatchObject({ status: "in_progress", currentStep: 2, completedAt: null });
    const a2 = await staff.post(`/api/v1/workflows/${wf.id}/advance`, { expectedStep: 2 });
    expect(a2.json).toMatchObject({ status: "in_progress", currentStep: 3 });
    const a3 = await staff.post(`/api/v1/workflows/${wf.id}/advance`, {});
    expect(a3.status).toBe(200);
    expect(a3.json).toMatchObject({ status: "completed", currentStep: 3, totalSteps: 3, completedAt: expect.any(String) });
    const a4 = await staff.post(`/api/v1/workflows/${wf.id}/advance`, {});
    expect(a4.status).toBe(409);
    expect(a4.json.error.code).toBe("conflict");

    const history = await staff.get(`/api/v1/workflows/${wf.id}/history`);
    expect(history.json.data).toEqual([
      { action: "created", fromStep: null, toStep: 1, actor: "staff-user", comment: null, at: wf.createdAt, step: null },
      { action: "advanced", fromStep: 1, toStep: 2, actor: "staff-user", comment: "looks fine", at: expect.any(String), step: null },
      { action: "advanced", fromStep: 2, toStep: 3, actor: "staff-user", comment: null, at: expect.any(String), step: null },
      { action: "completed", fromStep: 3, toStep: 3, actor: "staff-user", comment: null, at: a3.json.completedAt, step: null },
    ]);
    expect(history.json.nextCursor).toBeNull();
    expect(await statsOf(staff.org)).toEqual({ in_progress: 0, completed: 1 });
  });

  it("expectedStep that is not the current step: 409, nothing changed", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const wf = await startWorkflow(staff);
    const before = await workflowSnapshot(staff.org, wf.id);
    const res = await staff.post(`/api/v1/workflows/${wf.id}/advance`, { expectedStep: 2 });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toBe("Workflow is at step 1, not 2");
    expect(await workflowSnapshot(staff.org, wf.id)).toEqual(before);
  });

  it("cancel and fail end the workflow where it stands; then every change is 409", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const cancelled = await startWorkflow(staff);
    await staff.post(`/api/v1/workflows/${cancelled.id}/advance`, {});
    const c = await staff.post(`/api/v1/workflows/${cancelled.id}/cancel`, { reason: "duplicate" });
    expect(c.status).toBe(200);
    expect(c.json).toMatchObject({ status: "cancelled", currentStep: 2, completedAt: null });

    const failed = await startWorkflow(staff);
    const f = await staff.post(`/api/v1/workflows/${failed.id}/fail`, { reason: "lab sample lost" });
    expect(f.json).toMatchObject({ status: "failed", currentStep: 1 });
    expect((await historyRows(failed.id)).at(-1)).toMatchObject({ action: "failed", comment: "lab sample lost", fromStep: 1, toStep: 1 });

    for (const id of [cancelled.id, failed.id]) {
      const before = await workflowSnapshot(staff.org, id);
      for (const [path, body] of [
        ["advance", {}],
        ["cancel", {}],
        ["fail", { reason: "x" }],
      ] as const) {
        const res = await staff.post(`/api/v1/workflows/${id}/${path}`, body);
        expect(res.status, path).toBe(409);
      }
      expect((await staff.put(`/api/v1/workflows/${id}`, { assignedTo: "x" })).status).toBe(409);
      expect(await workflowSnapshot(staff.org, id)).toEqual(before);
    }
    expect(await statsOf(staff.org)).toEqual({ in_progress: 0, cancelled: 1, failed: 1 });
  });

  it("PUT changes workflowType, assignedTo, metadata; null clears; history says updated", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const wf = await startWorkflow(staff, { assignedTo: "vet-1", metadata: { a: 1 } });
    const res = await staff.put(`/api/v1/workflows/${wf.id}`, { workflowType: "consent", metadata: { b: [1, 2] } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ workflowType: "consent", assignedTo: "vet-1", metadata: { b: [1, 2] }, currentStep: 1, status: "in_progress" });
    const cleared = await staff.put(`/api/v1/workflows/${wf.id}`, { assignedTo: null, metadata: null });
    expect(cleared.json).toMatchObject({ workflowType: "consent", assignedTo: null, metadata: null });
    expect((await staff.get(`/api/v1/workflows/${wf.id}`)).json).toEqual(cleared.json);
    const history = await historyRows(wf.id);
    expect(history.map((h) => [h.action, h.version])).toEqual([
      ["created", 1],
      ["updated", 2],
      ["updated", 3],
    ]);
    expect(await statsOf(staff.org)).toEqual({ in_progress: 1 });
  });

  it("a bodyless advance or cancel counts as {}; a bodyless fail lacks its reason", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const wf = await startWorkflow(staff);
    const advance = await call("POST", `/api/v1/workflows/${wf.id}/advance`, { token: staff.token });
    expect(advance.json).toMatchObject({ currentStep: 2 });
    expect((await call("POST", `/api/v1/workflows/${wf.id}/fail`, { token: staff.token })).status).toBe(400);
    expect((await call("POST", `/api/v1/workflows/${wf.id}/cancel`, { token: staff.token })).json).toMatchObject({ status: "cancelled" });
  });
});
