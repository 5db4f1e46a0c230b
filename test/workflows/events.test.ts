// Workflow changes publish workflow.* events by themselves, in the same batch as the change,
// with delivery rows for subscribed webhooks; update publishes nothing (no workflow.updated).
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deliveries } from "../../src/db/schema";
import { client, db, eventsOfOrg, seedWebhook, startWorkflow, uniqueOrg } from "../support";

const deliveriesFor = (eventIds: string[]) => db.select().from(deliveries).where(inArray(deliveries.eventId, eventIds));

describe("workflow events", () => {
  it("workflow.created: the event row carries the workflow, with one pending delivery per subscriber", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const exact = (await seedWebhook(staff.org, { types: ["workflow.created"] })).id;
    const star = (await seedWebhook(staff.org, { types: ["*"] })).id;
    (await seedWebhook(staff.org, { types: ["workflow.completed"] })).id;
    (await seedWebhook(uniqueOrg("other"), { types: ["*"] })).id;

    const wf = await startWorkflow(staff, { metadata: { k: "v" } });
    const [event, ...rest] = await eventsOfOrg(staff.org);
    expect(rest).toHaveLength(0);
    expect(event).toMatchObject({ type: "workflow.created", createdAt: new Date(wf.createdAt) });
    expect(event!.data).toEqual({
      ...wf,
      change: { action: "created", fromStep: null, toStep: 1, actor: "staff-user", comment: null, at: wf.createdAt, step: null },
    });
    const rows = await deliveriesFor([event!.id]);
    expect(rows.map((r) => r.webhookId).sort()).toEqual([exact, star].sort());
    expect(rows.every((r) => r.status === "pending" && r.org === staff.org && r.eventType === "workflow.created")).toBe(true);
  });

  it("advanced for each non-final advance, completed (only) for the last, cancelled, failed; none for update", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const hook = (await seedWebhook(staff.org, { types: ["*"] })).id;
    const done = await startWorkflow(staff, { steps: ["a", "b"] });
    await staff.post(`/api/v1/workflows/${done.id}/advance`, { comment: "first" });
    await staff.put(`/api/v1/workflows/${done.id}`, { assignedTo: "vet-2" });
    const completed = await staff.post(`/api/v1/workflows/${done.id}/advance`, {});
    const cancelled = await startWorkflow(staff);
    await staff.post(`/api/v1/workflows/${cancelled.id}/cancel`, { reason: "dup" });
    const failed = await startWorkflow(staff);
    await staff.post(`/api/v1/workflows/${failed.id}/fail`, { reason: "lost" });

    const list = await eventsOfOrg(staff.org);
    // Events of one request can share a millisecond, so compare without relying on order.
    const pairs = (items: string[][]) => items.map((p) => p.join(" ")).sort();
    expect(pairs(list.map((e) => [e.type, String(e.data.id)]))).toEqual(
      pairs([
        ["workflow.created", done.id],
        ["workflow.advanced", done.id],
        ["workflow.completed", done.id],
        ["workflow.created", cancelled.id],
        ["workflow.cancelled", cancelled.id],
        ["workflow.created", failed.id],
        ["workflow.failed", failed.id],
      ]),
    );
    const ofType = (type: string) => list.find((e) => e.type === type)!.data;
    expect(ofType("workflow.advanced")).toMatchObject({ currentStep: 2, status: "in_progress", change: { action: "advanced", comment: "first" } });
    expect(ofType("workflow.completed")).toMatchObject({
      ...completed.json,
      assignedTo: "vet-2",
      change: { action: "completed", fromStep: 2, toStep: 2 },
    });
    expect(ofType("workflow.cancelled")).toMatchObject({ status: "cancelled", change: { comment: "dup" } });
    expect(ofType("workflow.failed")).toMatchObject({ status: "failed", change: { comment: "lost" } });

    const rows = await deliveriesFor(list.map((e) => e.id));
    expect(rows).toHaveLength(list.length);
    expect(new Set(rows.map((r) => r.webhookId))).toEqual(new Set([hook]));
  });

  it("without subscribers the event is still recorded, with no deliveries", async () => {
    const staff = await client(uniqueOrg(), "staff");
    await startWorkflow(staff);
    const [event] = await eventsOfOrg(staff.org, "workflow.created");
    expect(event).toBeDefined();
    expect(await db.select().from(deliveries).where(eq(deliveries.org, staff.org))).toHaveLength(0);
  });
});
