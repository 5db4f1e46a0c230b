// Event triggers, event waits and cron triggers. The queue message of an event is delivered
// three times by hand (createMessageBatch through the Worker's own queue handler): nothing
// starts or wakes twice. A cron slot run twice starts one instance.
import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runCronTriggers } from "../../src/cron/engine";
import { MAX_TRIGGER_DEPTH } from "../../src/engine/triggers";
import { publishEvent } from "../../src/events/publish";
import worker from "../../src/index";
import { createWorkflow } from "../../src/workflows/create";
import { createDb } from "../../src/db/client";
import { engineDispatches, events, workflows } from "../../src/db/schema";
import { labReview } from "../engine/fixtures";
import { client, uniqueOrg } from "../support";
import { saveTemplate, startInstance, workflow } from "./helpers";

const db = createDb(env.DB);
const instancesOf = (org: string, key: string) =>
  db
    .select()
    .from(workflows)
    .where(and(eq(workflows.org, org), eq(workflows.template, key)));

/** Deliver the engine's message for `eventId` as the queue would, `times` times. */
async function deliver(org: string, eventId: string, times: number) {
  for (let i = 0; i < times; i++) {
    const batch = createMessageBatch("pca-deliveries", [
      { id: `m-${eventId}-${i}`, timestamp: new Date(), attempts: 1, body: { v: 1, deliveryId: eventId, org } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([`m-${eventId}-${i}`]);
  }
}

const reviewOnEvent = {
  start: "review",
  steps: {
    review: { type: "task", title: "Review the lab result", assignee: { role: "staff" }, outcomes: ["seen"], next: { seen: "done" } },
    done: { type: "succeed" },
  },
};

describe("event triggers", () => {
  it("one published event starts one instance even when its message is delivered three times", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    await saveTemplate(admin, "review-lab", reviewOnEvent, {
      triggers: [{ event: "lab_test.completed", match: { "data.testCode": "CBC" }, documentId: { $ref: "data.patientId" } }],
    });
    const published = await admin.post("/api/v1/events", {
      type: "lab_test.completed",
      data: { labTestId: "lt-1", patientId: "pat-9", testCode: "CBC" },
    });
    expect(published.status).toBe(202);
    await deliver(org, published.json.id, 3);

    const started = await instancesOf(org, "review-lab");
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ documentId: "pat-9", status: "in_progress", metadata: { triggeredBy: published.json.id } });
    expect(started[0]!.engine?.input).toMatchObject({ labTestId: "lt-1" });
    expect(await db.select().from(engineDispatches).where(eq(engineDispatches.eventId, published.json.id))).toEqual([]);

    const other = await admin.post("/api/v1/events", { type: "lab_test.completed", data: { labTestId: "lt-2", patientId: "pat-9", testCode: "X" } });
    await deliver(org, other.json.id, 1);
    expect(await instancesOf(org, "review-lab")).toHaveLength(1); // match did not hold
  });

  it("publish enqueues the event id for the engine only when a trigger or wait cares, in the same commit", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    await saveTemplate(admin, "review-lab", reviewOnEvent, { triggers: [{ event: "lab_test.completed", documentId: "doc" }] });
    const sent: unknown[] = [];
    const queue = { sendBatch: async (messages: { body: unknown }[]) => void sent.push(...messages.map((m) => m.body)) } as unknown as Queue;
    const wanted = await publishEvent(db, queue, org, { type: "lab_test.completed", data: { labTestId: "lt-1" } });
    await publishEvent(db, queue, org, { type: "lab_test.ordered", data: { labTestId: "lt-1" } });
    expect(sent).toEqual([{ v: 1, deliveryId: wanted.event.id, org }]);
    expect(await db.select().from(engineDispatches).where(eq(engineDispatches.org, org))).toHaveLength(1);
  });

  it("workflow.* events of linear workflows reach triggers too (enqueued with their commit)", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    await saveTemplate(admin, "follow-up", reviewOnEvent, { triggers: [{ event: "workflow.created", documentId: { $ref: "data.documentId" } }] });
    const sent: { deliveryId: string }[] = [];
    const queue = {
      sendBatch: async (messages: { body: { deliveryId: string } }[]) => void sent.push(...messages.map((m) => m.body)),
    } as unknown as Queue;
    const linear = await createWorkflow(db, queue, { org, sub: "dr-jones", role: "staff" }, { documentId: "doc-5", workflowType: "x", steps: ["a"] });
    const [event] = await db.select().from(engineDispatches).where(eq(engineDispatches.org, org));
    expect(sent.map((m) => m.deliveryId)).toEqual([event!.eventId]);
    await deliver(org, event!.eventId, 2);
    const started = await instancesOf(org, "follow-up");
    expect(started.map((w) => w.documentId)).toEqual(["doc-5"]);
    expect(started[0]!.id).not.toBe(linear.id);
  });

  it("one event starts every live template of its org and type, at the latest version", async () => {
    const [org, otherOrg] = [uniqueOrg(), uniqueOrg()];
    const [admin, otherAdmin] = [await client(org, "admin"), await client(otherOrg, "admin")];
    const onCompleted = (documentId: string) => ({ event: "lab_test.completed", documentId });
    // Two triggers on the type in one template: still one instance of it.
    await saveTemplate(admin, "first", reviewOnEvent, { triggers: [onCompleted("first-a"), onCompleted("first-b")] });
    await saveTemplate(admin, "second", reviewOnEvent, { triggers: [onCompleted("second-v1")] });
    await saveTemplate(admin, "second", reviewOnEvent, { triggers: [onCompleted("second-v2")] });
    await saveTemplate(admin, "dropped", reviewOnEvent, { triggers: [onCompleted("dropped")] });
    await saveTemplate(admin, "dropped", reviewOnEvent, { triggers: [{ event: "lab_test.ordered", documentId: "ordered" }] });
    await saveTemplate(otherAdmin, "first", reviewOnEvent, { triggers: [onCompleted("other-org")] });

    const published = await admin.post("/api/v1/events", { type: "lab_test.completed", data: { labTestId: "lt-1" } });
    await deliver(org, published.json.id, 1);
    expect((await instancesOf(org, "first")).map((w) => w.documentId)).toEqual(["first-a"]);
    expect(await instancesOf(org, "second")).toMatchObject([{ documentId: "second-v2", templateVersion: 2 }]);
    expect(await instancesOf(org, "dropped")).toHaveLength(0);
    expect(await instancesOf(otherOrg, "first")).toHaveLength(0);
  });

  it("an archived template's trigger starts nothing", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    await saveTemplate(admin, "review-lab", reviewOnEvent, { triggers: [{ event: "lab_test.completed", documentId: "doc" }] });
    await admin.delete("/api/v1/workflow-templates/review-lab");
    const published = await admin.post("/api/v1/events", { type: "lab_test.completed", data: { labTestId: "lt-1" } });
    await deliver(org, published.json.id, 1);
    expect(await instancesOf(org, "review-lab")).toHaveLength(0);
  });

  it("templates triggered by their own instances' events stop after MAX_TRIGGER_DEPTH starts in a row", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    const onCreated = { triggers: [{ event: "workflow.created", documentId: { $ref: "data.documentId" } }] };
    // Each instance publishes workflow.created, which starts one of each again: without a bound
    // the count would double every generation.
    await saveTemplate(admin, "echo-a", { start: "d", steps: { d: { type: "succeed" } } }, onCreated);
    await saveTemplate(admin, "echo-b", { start: "d", steps: { d: { type: "succeed" } } }, onCreated);
    const first = await admin.post("/api/v1/workflows", { documentId: "loop-1", workflowType: "intake", steps: ["a"] });
    expect(first.status).toBe(201);

    // Dispatch whatever the engine left until nothing is left (the queue may also run some).
    const pending = () => db.select().from(engineDispatches).where(eq(engineDispatches.org, org));
    for (let round = 0; round < 3 * MAX_TRIGGER_DEPTH; round++) {
      const rows = await pending();
      if (rows.length === 0) break;
      for (const row of rows) await deliver(org, row.eventId, 1);
    }
    expect(await pending()).toEqual([]);

    // Generation g (1…MAX_TRIGGER_DEPTH) holds 2^g instances, half of each template.
    const started = [...(await instancesOf(org, "echo-a")), ...(await instancesOf(org, "echo-b"))];
    const expected = Array.from({ length: MAX_TRIGGER_DEPTH }, (_, g) => 2 ** (g + 1)).reduce((a, b) => a + b);
    expect(started).toHaveLength(expected);
    const depths = started.map((w) => (w.metadata as { triggerDepth: number }).triggerDepth);
    expect(Math.max(...depths)).toBe(MAX_TRIGGER_DEPTH);
    expect(depths.filter((d) => d === 1)).toHaveLength(2);

    // A copy of any of the messages, delivered again after its dispatch was done, starts nothing.
    const created = await db
      .select()
      .from(events)
      .where(and(eq(events.org, org), eq(events.type, "workflow.created")));
    for (const event of created) await deliver(org, event.id, 1);
    expect([...(await instancesOf(org, "echo-a")), ...(await instancesOf(org, "echo-b"))]).toHaveLength(expected);
  });
});

describe("waits for events", () => {
  async function waiting() {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    await saveTemplate(admin, "lab", labReview);
    const wf = await startInstance(admin, "lab", { labTestId: "lt-7" });
    expect(wf.activeSteps).toEqual(["wait_result"]);
    return { org, admin, wf };
  }

  it("a matching event wakes the instance once, however often delivered; another labTestId does not", async () => {
    const { org, admin, wf } = await waiting();
    const other = await admin.post("/api/v1/events", { type: "lab_test.completed", data: { labTestId: "lt-other" } });
    await deliver(org, other.json.id, 1);
    expect((await workflow(admin, wf.id)).activeSteps).toEqual(["wait_result"]);

    const mine = await admin.post("/api/v1/events", { type: "lab_test.completed", data: { labTestId: "lt-7" } });
    await deliver(org, mine.json.id, 3);
    const after = await workflow(admin, wf.id);
    expect(after.activeSteps).toEqual(["review"]);
    const history = (await admin.get(`/api/v1/workflows/${wf.id}/history`)).json.data;
    expect(history.filter((h: any) => h.action === "event_received")).toEqual([
      expect.objectContaining({ comment: `lab_test.completed ${mine.json.id}` }),
    ]);
  });

  it("an event published just before the timeout wins over the timer; the timer then fires nothing", async () => {
    const { org, admin, wf } = await waiting();
    const mine = await admin.post("/api/v1/events", { type: "lab_test.completed", data: { labTestId: "lt-7" } });
    await deliver(org, mine.json.id, 1);
    const stub = env.WORKFLOW_OBJECT.get(env.WORKFLOW_OBJECT.idFromName(wf.id));
    await stub.command({ org, workflowId: wf.id }, { type: "timer", timerId: "wait_result#1:wait" });
    const after = await workflow(admin, wf.id);
    expect(after).toMatchObject({ status: "in_progress", activeSteps: ["review"] });
  });
});

describe("cron triggers", () => {
  it("a cron slot run twice starts one instance per template; other minutes start none", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    await saveTemplate(admin, "weekly-audit", reviewOnEvent, { triggers: [{ cron: "0 8 * * 1", documentId: "controlled-drug-register" }] });
    const monday8 = new Date("2026-03-02T08:00:20Z");
    await runCronTriggers(db, env, monday8);
    await runCronTriggers(db, env, new Date("2026-03-02T08:00:45Z"));
    await runCronTriggers(db, env, new Date("2026-03-02T08:01:00Z"));
    const started = await instancesOf(org, "weekly-audit");
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ documentId: "controlled-drug-register" });
    expect(started[0]!.engine?.input).toEqual({ scheduledAt: "2026-03-02T08:00:00.000Z" });
  });

  it("only the latest live version counts: an archived key starts nothing, a version whose cron moved starts at its new minute", async () => {
    const [orgA, orgB] = [uniqueOrg(), uniqueOrg()];
    const [adminA, adminB] = [await client(orgA, "admin"), await client(orgB, "admin")];
    const hourly = { triggers: [{ cron: "0 * * * *", documentId: "hourly" }] };
    await saveTemplate(adminA, "kept", reviewOnEvent, hourly);
    await saveTemplate(adminB, "kept", reviewOnEvent, hourly);
    await saveTemplate(adminA, "archived", reviewOnEvent, hourly);
    expect((await adminA.delete("/api/v1/workflow-templates/archived")).status).toBe(204);
    await saveTemplate(adminB, "dropped", reviewOnEvent, hourly);
    await saveTemplate(adminB, "dropped", reviewOnEvent, { triggers: [{ cron: "30 * * * *", documentId: "half-past" }] });

    await runCronTriggers(db, env, new Date("2026-03-04T11:00:05Z"));
    expect(await instancesOf(orgA, "kept")).toHaveLength(1);
    expect(await instancesOf(orgB, "kept")).toHaveLength(1);
    expect(await instancesOf(orgA, "archived")).toHaveLength(0);
    expect(await instancesOf(orgB, "dropped")).toHaveLength(0);
    await runCronTriggers(db, env, new Date("2026-03-04T11:30:05Z"));
    expect(await instancesOf(orgB, "dropped")).toMatchObject([{ documentId: "half-past", templateVersion: 2 }]);
  });

  it("the Worker's scheduled handler runs the cron triggers", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    await saveTemplate(admin, "every-minute", reviewOnEvent, { triggers: [{ cron: "* * * * *", documentId: "tick" }] });
    const controller = createScheduledController({ scheduledTime: new Date("2026-03-03T10:15:00Z"), cron: "* * * * *" });
    await worker.scheduled(controller, env);
    await worker.scheduled(controller, env);
    expect(await instancesOf(org, "every-minute")).toHaveLength(1);
  });
});
