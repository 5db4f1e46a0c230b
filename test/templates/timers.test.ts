// Timers through the real WorkflowObject: pending timers live in its SQLite storage with the
// alarm at the earliest; runDurableObjectAlarm fires them. "Time passing" is done by moving the
// stored timers into the past, so no test sleeps.
import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { WorkflowObject } from "../../src/workflows/workflow-object";
import { client, uniqueOrg } from "../support";
import { saveTemplate, startInstance, workflow } from "./helpers";

const stubFor = (id: string) => env.WORKFLOW_OBJECT.get(env.WORKFLOW_OBJECT.idFromName(id));

/** The timers table and the alarm, as the object holds them. */
const stored = (id: string) =>
  runInDurableObject(stubFor(id), async (_: WorkflowObject, state) => ({
    timers: state.storage.sql.exec<{ id: string; at: number }>("SELECT id, at FROM timers ORDER BY at").toArray(),
    alarm: await state.storage.getAlarm(),
  }));

/** Make every pending timer due now, as if its time had come. */
const elapse = (id: string) =>
  runInDurableObject(stubFor(id), async (_: WorkflowObject, state) => {
    state.storage.sql.exec("UPDATE timers SET at = ?", Date.now() - 1);
    await state.storage.setAlarm(Date.now() - 1);
  });

const dueTask = (onOverdue?: unknown) => ({
  start: "review",
  steps: {
    review: {
      type: "task",
      title: "Review",
      assignee: { role: "staff" },
      dueIn: "PT4H",
      ...(onOverdue ? { onOverdue } : {}),
      next: { approve: "done", reject: "escalate" },
    },
    escalate: { type: "task", title: "Escalated", assignee: { role: "admin" }, outcomes: ["done"], next: { done: "done" } },
    done: { type: "succeed" },
  },
});

async function started(definition: unknown) {
  const admin = await client(uniqueOrg(), "admin");
  await saveTemplate(admin, "t", definition);
  return { admin, wf: await startInstance(admin, "t") };
}

describe("task due timers", () => {
  it("a task with dueIn stores one timer and sets the alarm to it; answering deletes both", async () => {
    const { admin, wf } = await started(dueTask());
    const before = await stored(wf.id);
    expect(before.timers).toEqual([{ id: "review#1:due", at: expect.any(Number) }]);
    expect(before.alarm).toBe(before.timers[0]?.at);
    expect(before.alarm! - Date.parse(wf.createdAt)).toBe(4 * 3600_000);

    await admin.post(`/api/v1/tasks/${wf.openTasks[0]}/complete`, { outcome: "approve" });
    expect(await stored(wf.id)).toEqual({ timers: [], alarm: null });
  });

  it("overdue without onOverdue: the task is marked overdue, task_overdue is published, it stays open", async () => {
    const { admin, wf } = await started(dueTask());
    await elapse(wf.id);
    expect(await runDurableObjectAlarm(stubFor(wf.id))).toBe(true);
    const task = (await admin.get(`/api/v1/tasks/${wf.openTasks[0]}`)).json;
    expect(task).toMatchObject({ status: "open", overdue: true });
    const history = (await admin.get(`/api/v1/workflows/${wf.id}/history`)).json.data;
    expect(history.filter((h: any) => h.action === "timer_fired")).toEqual([
      expect.objectContaining({ step: "review", comment: "task overdue", actor: "engine" }),
    ]);
    expect(await stored(wf.id)).toEqual({ timers: [], alarm: null });
  });

  it("onOverdue reassign / goto / fail", async () => {
    const reassign = await started(dueTask({ reassign: { user: "owner" } }));
    await elapse(reassign.wf.id);
    await runDurableObjectAlarm(stubFor(reassign.wf.id));
    expect((await reassign.admin.get(`/api/v1/tasks/${reassign.wf.openTasks[0]}`)).json.assignee).toEqual({ user: "owner" });

    const goto = await started(dueTask({ goto: "escalate" }));
    await elapse(goto.wf.id);
    await runDurableObjectAlarm(stubFor(goto.wf.id));
    expect((await goto.admin.get(`/api/v1/tasks/${goto.wf.openTasks[0]}`)).json).toMatchObject({ status: "cancelled", overdue: true });
    expect((await workflow(goto.admin, goto.wf.id)).activeSteps).toEqual(["escalate"]);

    const fail = await started(dueTask("fail"));
    await elapse(fail.wf.id);
    await runDurableObjectAlarm(stubFor(fail.wf.id));
    expect((await workflow(fail.admin, fail.wf.id)).status).toBe("failed");
  });

  it("an alarm run twice, and a timer made obsolete, fire nothing twice", async () => {
    const { admin, wf } = await started(dueTask({ goto: "escalate" }));
    await elapse(wf.id);
    await runDurableObjectAlarm(stubFor(wf.id));
    const once = (await admin.get(`/api/v1/workflows/${wf.id}/history`)).json.data;
    // A stale timer row left behind (e.g. by a batch that failed) and a second alarm.
    await runInDurableObject(stubFor(wf.id), async (_: WorkflowObject, state) => {
      state.storage.sql.exec("INSERT INTO timers (id, at, org, workflow_id) VALUES ('review#1:due', ?, ?, ?)", Date.now() - 1, admin.org, wf.id);
      await state.storage.setAlarm(Date.now() - 1);
    });
    await runDurableObjectAlarm(stubFor(wf.id));
    expect((await admin.get(`/api/v1/workflows/${wf.id}/history`)).json.data).toEqual(once);
    expect(await stored(wf.id)).toEqual({ timers: [], alarm: null });
  });

  it("an eviction between steps loses no timer", async () => {
    const { admin, wf } = await started(dueTask("fail"));
    await evictDurableObject(stubFor(wf.id));
    expect((await stored(wf.id)).timers).toHaveLength(1);
    await elapse(wf.id);
    await evictDurableObject(stubFor(wf.id));
    await runDurableObjectAlarm(stubFor(wf.id));
    expect((await workflow(admin, wf.id)).status).toBe("failed");
  });
});

describe("wait timers", () => {
  it("a wait `for` a duration goes on when its timer fires", async () => {
    const { admin, wf } = await started({ start: "w", steps: { w: { type: "wait", for: "P2D", next: "done" }, done: { type: "succeed" } } });
    expect(wf.activeSteps).toEqual(["w"]);
    const { timers } = await stored(wf.id);
    expect(timers[0]!.at - Date.parse(wf.createdAt)).toBe(2 * 86_400_000);
    await elapse(wf.id);
    await runDurableObjectAlarm(stubFor(wf.id));
    expect((await workflow(admin, wf.id)).status).toBe("completed");
  });
});
