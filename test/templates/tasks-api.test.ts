// Tasks end to end through HTTP: the prescription template from start to completed and to
// failed, N-of-M approvals (including 20 concurrent answers), who may answer, history, events.
import { env } from "cloudflare:test";
import { asc, and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { deliveries, events } from "../../src/db/schema";
import { prescription } from "../engine/fixtures";
import { client, seedWebhook, uniqueOrg } from "../support";
import { complete, person, saveTemplate, startInstance, workflow } from "./helpers";

const db = createDb(env.DB);

async function atAdminApproval() {
  const org = uniqueOrg();
  const admin = await client(org, "admin");
  await saveTemplate(admin, "rx", prescription);
  const vet = await person(org, "staff", "dr-jones");
  const wf = await startInstance(vet, "rx", { schedule: "II", patientId: "pat-9" });
  const answered = await complete(vet, wf.openTasks[0]!, "approve", "dose checked");
  expect(answered.status, answered.text).toBe(200);
  const now = await workflow(vet, wf.id);
  expect(now.activeSteps).toEqual(["admin_approval"]);
  return { org, admin, vet, wf, taskId: now.openTasks[0]! };
}

describe("the prescription template end to end", () => {
  it("runs to completed: vet task, choice, 2-of-N admins, action; the webhook gets the events", async () => {
    const org = uniqueOrg();
    const webhookId = (await seedWebhook(org, { types: ["*"] })).id;
    const admin = await client(org, "admin");
    await saveTemplate(admin, "rx", prescription);
    const vet = await person(org, "staff", "dr-jones");
    const wf = await startInstance(vet, "rx", { schedule: "II", patientId: "pat-9" }, { documentId: "rx-77" });
    expect(wf).toMatchObject({
      status: "in_progress",
      template: "rx",
      templateVersion: 1,
      workflowType: "rx",
      activeSteps: ["vet_review"],
      currentStep: 0,
      totalSteps: 5,
    });
    expect(wf.steps).toEqual(["vet_review", "schedule", "admin_approval", "record", "done", "rejected"]);

    const mine = await vet.get("/api/v1/tasks?mine=true");
    expect(mine.json.data.map((t: any) => t.id)).toEqual(wf.openTasks);
    const task = await vet.post(`/api/v1/tasks/${wf.openTasks[0]}/complete`, { outcome: "approve", comment: "dose checked" });
    expect(task.json).toMatchObject({
      status: "completed",
      outcome: "approve",
      answers: [{ actor: "dr-jones", outcome: "approve", comment: "dose checked" }],
    });

    const approval = (await workflow(vet, wf.id)).openTasks[0]!;
    expect((await vet.get("/api/v1/tasks?mine=true")).json.data).toEqual([]);
    const a1 = await person(org, "admin", "admin-1");
    const a2 = await person(org, "admin", "admin-2");
    expect((await a1.get("/api/v1/tasks?mine=true")).json.data.map((t: any) => t.id)).toEqual([approval]);
    const first = await complete(a1, approval, "approve");
    expect(first.json).toMatchObject({ status: "open", approvalsRequired: 2, answers: [{ actor: "admin-1" }], dueAt: expect.any(String) });
    const second = await complete(a2, approval, "approve");
    expect(second.json).toMatchObject({ status: "completed", outcome: "approve" });

    const done = await workflow(vet, wf.id);
    expect(done).toMatchObject({
      status: "completed",
      activeSteps: [],
      openTasks: [],
      data: { approvedAt: expect.any(String) },
      completedAt: expect.any(String),
    });
    const history = (await vet.get(`/api/v1/workflows/${wf.id}/history`)).json.data;
    expect(history.map((h: any) => [h.action, h.step, h.actor])).toEqual([
      ["created", null, "dr-jones"],
      ["step_entered", "vet_review", "engine"],
      ["task_answered", "vet_review", "dr-jones"],
      ["step_entered", "schedule", "engine"],
      ["step_entered", "admin_approval", "engine"],
      ["task_answered", "admin_approval", "admin-1"],
      ["task_answered", "admin_approval", "admin-2"],
      ["step_entered", "record", "engine"],
      ["action_taken", "record", "engine"],
      ["step_entered", "done", "engine"],
      ["completed", null, "engine"],
    ]);

    const emitted = await db.select().from(events).where(eq(events.org, org)).orderBy(asc(events.createdAt));
    expect(emitted.map((e) => e.type).sort()).toEqual([
      "prescription.created",
      "workflow.completed",
      "workflow.created",
      "workflow.task_completed",
      "workflow.task_completed",
      "workflow.task_created",
      "workflow.task_created",
    ]);
    // The last run's events are a millisecond apart, in the order it emitted them.
    const lastRun = emitted.slice(-3);
    expect(lastRun.map((e) => e.type)).toEqual(["workflow.task_completed", "prescription.created", "workflow.completed"]);
    expect(lastRun.map((e) => e.createdAt.getTime() - lastRun[0]!.createdAt.getTime())).toEqual([0, 1, 2]);
    expect(emitted.find((e) => e.type === "prescription.created")?.data).toEqual({ prescriptionId: "rx-77", patientId: "pat-9" });
    const queued = await db
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.org, org), eq(deliveries.webhookId, webhookId)));
    expect(queued).toHaveLength(emitted.length);
  });

  it("a rejection ends it failed, with the fail step's reason in history", async () => {
    const { vet, wf, taskId, org } = await atAdminApproval();
    const res = await complete(await person(org, "admin", "admin-1"), taskId, "reject", "not justified");
    expect(res.json).toMatchObject({ status: "completed", outcome: "reject" });
    const after = await workflow(vet, wf.id);
    expect(after.status).toBe("failed");
    const history = (await vet.get(`/api/v1/workflows/${wf.id}/history`)).json.data;
    expect(history.at(-1)).toMatchObject({ action: "failed", comment: "prescription rejected" });
  });
});

describe("answering tasks", () => {
  it("403 for a non-assignee, 400 for an outcome not listed, 409 for a second answer by the same sub; nothing recorded", async () => {
    const { org, taskId } = await atAdminApproval();
    const nurse = await person(org, "staff", "nurse");
    expect((await complete(nurse, taskId, "approve")).status).toBe(403);
    const a1 = await person(org, "admin", "admin-1");
    const bad = await complete(a1, taskId, "maybe");
    expect(bad.status).toBe(400);
    expect(bad.json.error.details).toEqual([{ path: "outcome", message: expect.stringContaining("approve, reject") }]);
    expect((await complete(a1, taskId, "approve")).status).toBe(200);
    expect((await complete(a1, taskId, "approve")).status).toBe(409);
    const task = (await a1.get(`/api/v1/tasks/${taskId}`)).json;
    expect(task.answers.map((a: any) => a.actor)).toEqual(["admin-1"]);
    expect((await (await client(uniqueOrg(), "admin")).get(`/api/v1/tasks/${taskId}`)).status).toBe(404);
  });

  it("20 concurrent answers on a 2-of-N task: exactly one transition, each recorded answer once", async () => {
    const { org, vet, wf, taskId } = await atAdminApproval();
    const admins = await Promise.all(Array.from({ length: 20 }, (_, i) => person(org, "admin", `admin-${i}`)));
    const results = await Promise.all(admins.map((a) => complete(a, taskId, "approve")));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    expect(statuses.filter((s) => s === 409)).toHaveLength(18);
    const task = (await vet.get(`/api/v1/tasks/${taskId}`)).json;
    expect(task.status).toBe("completed");
    expect(task.answers).toHaveLength(2);
    expect(new Set(task.answers.map((a: any) => a.actor)).size).toBe(2);
    const history = (await vet.get(`/api/v1/workflows/${wf.id}/history`)).json.data;
    expect(history.filter((h: any) => h.action === "task_answered" && h.step === "admin_approval")).toHaveLength(2);
    expect(history.filter((h: any) => h.action === "completed")).toHaveLength(1);
    expect((await workflow(vet, wf.id)).status).toBe("completed");
  });

  it("advance is a 409 for a template instance; cancel closes its open tasks", async () => {
    const { org, vet, wf, taskId } = await atAdminApproval();
    expect((await vet.post(`/api/v1/workflows/${wf.id}/advance`, {})).status).toBe(409);
    const cancelled = await vet.post(`/api/v1/workflows/${wf.id}/cancel`, { reason: "owner withdrew" });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.json).toMatchObject({ status: "cancelled", openTasks: [], activeSteps: [] });
    expect((await vet.get(`/api/v1/tasks/${taskId}`)).json.status).toBe("cancelled");
    expect((await complete(await person(org, "admin", "a"), taskId, "approve")).status).toBe(409);
    const stats = (await vet.get("/api/v1/workflows/stats")).json;
    expect(stats.byStatus).toMatchObject({ cancelled: 1, in_progress: 0 });
  });

  it("PUT may not change a template instance's workflowType, its template's key; other fields change", async () => {
    const { vet, wf } = await atAdminApproval();
    const before = await workflow(vet, wf.id);
    const refused = await vet.put(`/api/v1/workflows/${wf.id}`, { workflowType: "something_else", assignedTo: "vet-2" });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.json.error.code).toBe("conflict");
    expect(await workflow(vet, wf.id)).toEqual(before);
    const same = await vet.put(`/api/v1/workflows/${wf.id}`, { workflowType: "rx", assignedTo: "vet-2" });
    expect(same.status, same.text).toBe(200);
    expect(same.json).toMatchObject({ workflowType: "rx", assignedTo: "vet-2" });
  });

  it("linear workflows answer the template fields as null and []", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const res = await staff.post("/api/v1/workflows", { documentId: "d", workflowType: "t", steps: ["a"] });
    expect(res.json).toMatchObject({ template: null, templateVersion: null, input: null, data: null, activeSteps: [], openTasks: [] });
    const bad = await staff.post("/api/v1/workflows", { documentId: "d", template: "rx", steps: ["a"] });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.map((d: any) => d.message).join()).toContain("steps");
  });
});
