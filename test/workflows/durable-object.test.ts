// The WorkflowObject itself: RPC results, serialisation inside one instance, and that an
// eviction between calls loses nothing (D1 holds the state, the object holds none).
import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CommandResult } from "../../src/workflows/commands";
import type { WorkflowObject } from "../../src/workflows/workflow-object";
import { client, historyRows, startWorkflow, uniqueOrg, workflowRow } from "../support";

const stubFor = (id: string) => env.WORKFLOW_OBJECT.get(env.WORKFLOW_OBJECT.idFromName(id));

describe("WorkflowObject", () => {
  it("keeps state across an eviction between calls", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const wf = await startWorkflow(staff);
    const stub = stubFor(wf.id);
    const context = { org: staff.org, workflowId: wf.id, actor: "do-test" };

    const first = await runInDurableObject(stub, (instance: WorkflowObject) => instance.change(context, { action: "advance", comment: "one" }));
    expect(first).toMatchObject({ ok: true, workflow: { currentStep: 2, status: "in_progress" } });

    await evictDurableObject(stub);

    const second = await runInDurableObject(stub, (instance: WorkflowObject) => instance.change(context, { action: "advance", expectedStep: 2 }));
    expect(second).toMatchObject({ ok: true, workflow: { currentStep: 3 } });
    await evictDurableObject(stub);
    const third = (await stub.change(context, { action: "advance", expectedStep: 3 })) as CommandResult;
    expect(third).toMatchObject({ ok: true, workflow: { status: "completed", currentStep: 3 } });

    expect(await workflowRow(wf.id)).toMatchObject({ version: 4, currentStep: 3, status: "completed" });
    expect((await historyRows(wf.id)).map((h) => [h.action, h.actor, h.comment])).toEqual([
      ["created", "staff-user", null],
      ["advanced", "do-test", "one"],
      ["advanced", "do-test", null],
      ["completed", "do-test", null],
    ]);
  });

  it("runs concurrent calls on one instance one after another", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const wf = await startWorkflow(staff);
    const context = { org: staff.org, workflowId: wf.id, actor: "do-test" };
    const results = await runInDurableObject(stubFor(wf.id), (instance: WorkflowObject) =>
      Promise.all([
        instance.change(context, { action: "advance", expectedStep: 1 }),
        instance.change(context, { action: "advance", expectedStep: 1 }),
        instance.change(context, { action: "advance", expectedStep: 2 }),
      ]),
    );
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]).toEqual({ ok: false, code: "conflict", message: "Workflow is at step 2, not 1" });
    expect((await workflowRow(wf.id))!.currentStep).toBe(3);
  });

  it("refuses a change routed to the wrong object", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const wf = await startWorkflow(staff);
    await runInDurableObject(stubFor(wf.id), async (instance: WorkflowObject) => {
      const wrongObject = instance.change({ org: staff.org, workflowId: "wf_other", actor: "x" }, { action: "advance" });
      await expect(wrongObject).rejects.toThrow(/was sent a change for wf_other/);
    });
  });

  it("a call that throws inside the critical section does not block the calls queued behind it", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const wf = await startWorkflow(staff);
    const context = { org: staff.org, workflowId: wf.id, actor: "x" };
    await runInDurableObject(stubFor(wf.id), async (instance: WorkflowObject) => {
      // workflowType is NOT NULL in D1: this batch fails for a reason other than a stale version.
      const broken = instance.change(context, { action: "update", changes: { workflowType: null as unknown as string } });
      const next = instance.change(context, { action: "cancel" });
      await expect(broken).rejects.toThrow(/NOT NULL/);
      expect(await next).toMatchObject({ ok: true, workflow: { status: "cancelled", workflowType: "approval" } });
    });
    expect((await historyRows(wf.id)).map((h) => h.action)).toEqual(["created", "cancelled"]);
  });

  it("answers not_found for another org's workflow and changes nothing", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const wf = await startWorkflow(staff);
    const result = await runInDurableObject(stubFor(wf.id), (instance: WorkflowObject) =>
      instance.change({ org: uniqueOrg("intruder"), workflowId: wf.id, actor: "x" }, { action: "fail", reason: "no" }),
    );
    expect(result).toEqual({ ok: false, code: "not_found", message: "Workflow not found" });
    expect(await workflowRow(wf.id)).toMatchObject({ status: "in_progress", version: 1 });
  });
});
