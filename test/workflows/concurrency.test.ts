// Every change to one workflow passes through its Durable Object, one at a time.
import { describe, expect, it } from "vitest";
import { client, eventsOfOrg, historyRows, seedWebhook, startWorkflow, statsOf, uniqueOrg, workflowRow } from "../support";

describe("concurrent changes to one workflow", () => {
  it("20 simultaneous advances on a 5-step workflow: exactly 5 succeed, 15 conflict, history has one row per success", async () => {
    const staff = await client(uniqueOrg(), "staff");
    (await seedWebhook(staff.org, { types: ["*"] })).id;
    const wf = await startWorkflow(staff, { documentId: "doc-race", steps: ["a", "b", "c", "d", "e"] });

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => staff.post(`/api/v1/workflows/${wf.id}/advance`, { comment: `call ${i}` })),
    );
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 409);
    expect(ok).toHaveLength(5);
    expect(refused).toHaveLength(15);
    expect(refused.every((r) => r.json.error.code === "conflict")).toBe(true);
    // Each success moved exactly one step: 2, 3, 4, 5, then the completing advance at 5.
    expect(ok.map((r) => [r.json.currentStep, r.json.status]).sort()).toEqual([
      [2, "in_progress"],
      [3, "in_progress"],
      [4, "in_progress"],
      [5, "completed"],
      [5, "in_progress"],
    ]);

    expect(await workflowRow(wf.id)).toMatchObject({ status: "completed", currentStep: 5, version: 6 });
    const history = await historyRows(wf.id);
    // The "created" row plus exactly one row per successful advance.
    expect(history.map((h) => [h.version, h.action, h.fromStep, h.toStep])).toEqual([
      [1, "created", null, 1],
      [2, "advanced", 1, 2],
      [3, "advanced", 2, 3],
      [4, "advanced", 3, 4],
      [5, "advanced", 4, 5],
      [6, "completed", 5, 5],
    ]);
    // Each success recorded its own caller's comment: five different calls, none twice.
    expect(new Set(history.slice(1).map((h) => h.comment)).size).toBe(5);

    expect(await statsOf(staff.org)).toEqual({ in_progress: 0, completed: 1 });
    const stats = await staff.get("/api/v1/workflows/stats");
    expect(stats.json).toEqual({ total: 1, byStatus: { in_progress: 0, completed: 1, cancelled: 0, failed: 0 } });
    const byDocument = await staff.get("/api/v1/workflows/document/doc-race");
    expect(byDocument.json.data).toHaveLength(1);
    expect(byDocument.json.data[0]).toMatchObject({ id: wf.id, status: "completed", currentStep: 5 });

    const types = (await eventsOfOrg(staff.org)).map((e) => e.type);
    expect(types.filter((t) => t === "workflow.advanced")).toHaveLength(4);
    expect(types.filter((t) => t === "workflow.completed")).toHaveLength(1);
  });

  it("20 simultaneous advances all expecting step 1: exactly one wins", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const wf = await startWorkflow(staff);
    const results = await Promise.all(Array.from({ length: 20 }, () => staff.post(`/api/v1/workflows/${wf.id}/advance`, { expectedStep: 1 })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
    expect((await historyRows(wf.id)).map((h) => h.action)).toEqual(["created", "advanced"]);
  });

  it("a cancel racing advances ends the workflow once; later advances are refused", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const wf = await startWorkflow(staff, { steps: Array.from({ length: 10 }, (_, i) => `s${i}`) });
    const calls = Array.from({ length: 10 }, (_, i) =>
      i === 4 ? staff.post(`/api/v1/workflows/${wf.id}/cancel`, { reason: "stop" }) : staff.post(`/api/v1/workflows/${wf.id}/advance`, {}),
    );
    const results = await Promise.all(calls);
    expect(results[4]!.status).toBe(200);
    const advancesOk = results.filter((r, i) => i !== 4 && r.status === 200).length;
    const row = (await workflowRow(wf.id))!;
    expect(row.status).toBe("cancelled");
    expect(row.currentStep).toBe(1 + advancesOk);
    const history = await historyRows(wf.id);
    expect(history).toHaveLength(2 + advancesOk);
    expect(history.at(-1)!.action).toBe("cancelled");
    expect(await statsOf(staff.org)).toEqual({ in_progress: 0, cancelled: 1 });
  });
});
