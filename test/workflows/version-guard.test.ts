// The D1 write is version-guarded on its own, independent of the Durable Object: a change
// computed from a stale read commits nothing (not the row, history, counters, event or
// deliveries), whether the version moved by a normal change or by a write outside the DO.
import { env } from "cloudflare:test";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { changeWorkflow } from "../../src/db/repositories/workflows";
import { commit, type Statement } from "../../src/db/client";
import { deliveries, type HistoryRow, type WorkflowRow, workflows } from "../../src/db/schema";
import { prepareEvent } from "../../src/events/publish";
import { runCommand } from "../../src/workflows/commands";
import { client, db, eventsOfOrg, historyRows, seedWebhook, startWorkflow, uniqueOrg, workflowRow, workflowSnapshot } from "../support";

/** The statements an advance computed from `stale` would run, event included. */
async function staleAdvance(stale: WorkflowRow): Promise<Statement[]> {
  const now = new Date();
  const after: WorkflowRow = { ...stale, currentStep: stale.currentStep + 1, version: stale.version + 1, updatedAt: now };
  const change: HistoryRow = {
    workflowId: stale.id,
    version: after.version,
    org: stale.org,
    action: "advanced",
    fromStep: stale.currentStep,
    toStep: after.currentStep,
    actor: "racer",
    comment: null,
    at: now,
    step: null,
  };
  const event = await prepareEvent(db, stale.org, { type: "workflow.advanced", data: { id: stale.id } }, { now });
  return [...changeWorkflow(db, stale, after, change), ...event.statements];
}

const allDeliveries = (org: string) => db.select().from(deliveries).where(eq(deliveries.org, org));

/**
 * A 4-step workflow whose object holds the row it committed on a first advance (version 2,
 * step 2), then moved on outside the object (step 3): the object's copy is stale.
 */
async function objectHoldingStaleCopy(staff: Awaited<ReturnType<typeof client>>) {
  const wf = await startWorkflow(staff, { steps: ["a", "b", "c", "d"] });
  expect((await staff.post(`/api/v1/workflows/${wf.id}/advance`, {})).json.currentStep).toBe(2);
  await db
    .update(workflows)
    .set({ currentStep: 3, version: sql`${workflows.version} + 1` })
    .where(eq(workflows.id, wf.id));
  return wf;
}

describe("version guard", () => {
  it("refuses a change computed before another change committed; nothing is written", async () => {
    const staff = await client(uniqueOrg(), "staff");
    (await seedWebhook(staff.org, { types: ["*"] })).id;
    const wf = await startWorkflow(staff);
    const stale = (await workflowRow(wf.id))!;
    expect((await staff.post(`/api/v1/workflows/${wf.id}/advance`, {})).status).toBe(200);

    const before = { ...(await workflowSnapshot(staff.org, wf.id)), deliveries: await allDeliveries(staff.org) };
    const statements = await staleAdvance(stale);
    await expect(commit(db, statements)).rejects.toThrow();
    expect({ ...(await workflowSnapshot(staff.org, wf.id)), deliveries: await allDeliveries(staff.org) }).toEqual(before);
  });

  it("refuses it too when the version was bumped outside the DO (no history row to collide with)", async () => {
    const staff = await client(uniqueOrg(), "staff");
    (await seedWebhook(staff.org, { types: ["*"] })).id;
    const wf = await startWorkflow(staff);
    const stale = (await workflowRow(wf.id))!;
    await db
      .update(workflows)
      .set({ version: sql`${workflows.version} + 1` })
      .where(eq(workflows.id, wf.id));

    const before = { ...(await workflowSnapshot(staff.org, wf.id)), deliveries: await allDeliveries(staff.org) };
    await expect(commit(db, await staleAdvance(stale))).rejects.toThrow();
    expect({ ...(await workflowSnapshot(staff.org, wf.id)), deliveries: await allDeliveries(staff.org) }).toEqual(before);
  });

  it("an advance after an outside bump reads the fresh row: one step, no step lost", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const wf = await startWorkflow(staff);
    await db.update(workflows).set({ version: 5 }).where(eq(workflows.id, wf.id));
    const res = await staff.post(`/api/v1/workflows/${wf.id}/advance`, {});
    expect(res.status).toBe(200);
    expect(res.json.currentStep).toBe(2);
    expect(await workflowRow(wf.id)).toMatchObject({ version: 6, currentStep: 2 });
    expect((await historyRows(wf.id)).map((h) => [h.version, h.action, h.fromStep, h.toStep])).toEqual([
      [1, "created", null, 1],
      [6, "advanced", 1, 2],
    ]);
  });

  it("the object's copy of the row going stale (a write outside it) costs a re-read, not a 409 or a lost step", async () => {
    const staff = await client(uniqueOrg(), "staff");
    await seedWebhook(staff.org, { types: ["*"] });
    const wf = await objectHoldingStaleCopy(staff);

    const res = await staff.post(`/api/v1/workflows/${wf.id}/advance`, {});
    expect(res.status).toBe(200);
    expect(res.json.currentStep).toBe(4);
    expect(await workflowRow(wf.id)).toMatchObject({ version: 4, currentStep: 4 });
    expect((await historyRows(wf.id)).map((h) => [h.version, h.fromStep, h.toStep])).toEqual([
      [1, null, 1],
      [2, 1, 2],
      [4, 3, 4],
    ]);
    // One workflow.advanced event per committed advance, each with its delivery; none from the refused copy.
    const advanced = await eventsOfOrg(staff.org, "workflow.advanced");
    expect(advanced.map((e) => e.data.currentStep)).toEqual([2, 4]);
    expect(await allDeliveries(staff.org)).toHaveLength(3); // created + two advances
  });

  it("an expectedStep that matches D1 but not the object's stale copy is not refused", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const wf = await objectHoldingStaleCopy(staff);

    // The copy says step 2, so the state machine refuses before the version guard is reached;
    // the refusal must be checked against D1, which is at step 3.
    const res = await staff.post(`/api/v1/workflows/${wf.id}/advance`, { expectedStep: 3 });
    expect(res.status).toBe(200);
    expect(res.json.currentStep).toBe(4);
    expect(await workflowRow(wf.id)).toMatchObject({ version: 4, currentStep: 4 });
    // A refusal that D1 confirms is still a 409 with D1's step, and the workflow is unchanged.
    const again = await staff.post(`/api/v1/workflows/${wf.id}/advance`, { expectedStep: 3 });
    expect(again.status).toBe(409);
    expect(again.json.error.message).toBe("Workflow is at step 4, not 3");
    expect(await workflowRow(wf.id)).toMatchObject({ version: 4, currentStep: 4 });
  });

  it("runCommand answers 409 when the version moves between its read and its write", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const wf = await startWorkflow(staff);
    // A db whose batch is preceded by another writer's bump: the read inside runCommand is stale.
    const racedDb = new Proxy(db, {
      get(target, prop, receiver) {
        if (prop !== "batch") return Reflect.get(target, prop, receiver);
        return async (statements: [Statement]) => {
          await env.DB.prepare("UPDATE workflows SET version = version + 1 WHERE id = ?").bind(wf.id).run();
          return target.batch(statements);
        };
      },
    });
    const before = await workflowSnapshot(staff.org, wf.id);
    const outcome = await runCommand(
      racedDb,
      env.DELIVERY_QUEUE,
      { org: staff.org, workflowId: wf.id, actor: "x" },
      { action: "advance" },
      new Date(),
    );
    expect(outcome).toEqual({ ok: false, code: "conflict", message: "Workflow changed concurrently; reload it and retry" });
    const after = await workflowSnapshot(staff.org, wf.id);
    expect({ ...after, row: { ...after.row, version: 1 } }).toEqual(before);
  });

  it("racing writers without the DO still never skip or repeat a step", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const wf = await startWorkflow(staff, { steps: Array.from({ length: 20 }, (_, i) => `s${i + 1}`) });
    const context = { org: staff.org, workflowId: wf.id, actor: "racer" };
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => runCommand(db, env.DELIVERY_QUEUE, context, { action: "advance" }, new Date())),
    );
    const successes = outcomes.filter((o) => o.ok).length;
    expect(successes).toBeGreaterThanOrEqual(1);
    const row = (await workflowRow(wf.id))!;
    expect(row.currentStep).toBe(1 + successes);
    expect(row.version).toBe(1 + successes);
    const history = await historyRows(wf.id);
    expect(history.map((h) => h.toStep)).toEqual(Array.from({ length: successes + 1 }, (_, i) => i + 1));
  });
});
