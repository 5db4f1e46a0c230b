// Rows that belong to a parent go with it (ON DELETE CASCADE, migrations/0005), and a child
// whose parent does not exist is refused. Deliveries do not belong to their webhook: they
// outlive its deletion (GET /deliveries/:id still shows them).
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { isForeignKeyViolation } from "../../src/db/client";
import { deliveries, deliveryAttempts, events, webhookEventTypes, webhooks, workflowHistory, workflows } from "../../src/db/schema";
import {
  attemptRows,
  db,
  deliveryRow,
  historyRows,
  seedAttempt,
  seedDelivery,
  seedWorkflow,
  subscriptionsOf,
  uniqueOrg,
  webhookRow,
} from "../support";

describe("cascades", () => {
  it("an event takes its deliveries and their attempt logs with it", async () => {
    const seed = await seedDelivery();
    await seedAttempt(seed.org, seed.deliveryId, 1);
    await db.delete(events).where(eq(events.id, seed.eventId));
    expect(await deliveryRow(seed.deliveryId)).toBeUndefined();
    expect(await attemptRows(seed.deliveryId)).toEqual([]);
  });

  it("a webhook takes its subscriptions, not its deliveries", async () => {
    const seed = await seedDelivery({ types: ["patient.created", "invoice.paid"] });
    expect(await subscriptionsOf(seed.webhookId)).toHaveLength(2);
    await db.delete(webhooks).where(eq(webhooks.id, seed.webhookId));
    expect(await webhookRow(seed.webhookId)).toBeUndefined();
    expect(await subscriptionsOf(seed.webhookId)).toEqual([]);
    expect(await deliveryRow(seed.deliveryId)).toBeDefined();
  });

  it("a workflow takes its history", async () => {
    const org = uniqueOrg();
    const workflow = await seedWorkflow(org);
    expect(await historyRows(workflow.id)).toHaveLength(1);
    await db.delete(workflows).where(eq(workflows.id, workflow.id));
    expect(await historyRows(workflow.id)).toEqual([]);
  });
});

describe("orphans are refused", () => {
  const at = new Date();
  it.each([
    ["a subscription of no webhook", () => db.insert(webhookEventTypes).values({ webhookId: "wh_none", org: "o", eventType: "*" })],
    [
      "a delivery of no event",
      () =>
        db.insert(deliveries).values({
          id: "msg_orphan",
          org: "o",
          webhookId: "wh_none",
          eventId: "evt_none",
          eventType: "patient.created",
          createdAt: at,
          updatedAt: at,
        }),
    ],
    ["an attempt of no delivery", () => db.insert(deliveryAttempts).values({ deliveryId: "msg_none", org: "o", attempt: 1, durationMs: 1, at })],
    [
      "history of no workflow",
      () => db.insert(workflowHistory).values({ workflowId: "wf_none", version: 1, org: "o", action: "created", actor: "a", at }),
    ],
  ])("%s", async (_, insert) => {
    const error = await insert().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isForeignKeyViolation(error)).toBe(true);
  });
});
