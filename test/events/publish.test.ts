import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { deliveries, events } from "../../src/db/schema";
import { findSubscribers } from "../../src/db/repositories/webhook-event-types";
import { publishEvent } from "../../src/events/publish";
import { db, seedWebhook, uniqueOrg } from "../support";

const deliveriesOf = (eventId: string) => db.select().from(deliveries).where(eq(deliveries.eventId, eventId));

describe("publishEvent", () => {
  it("fans out to '*' and exact subscribers, once each, skipping inactive and other orgs' webhooks", async () => {
    const org = uniqueOrg();
    const star = (await seedWebhook(org, { types: ["*"] })).id;
    const exact = (await seedWebhook(org, { types: ["invoice.paid", "*"] })).id;
    (await seedWebhook(org, { types: ["invoice.created"] })).id;
    await seedWebhook(org, { types: ["invoice.paid"], active: false });
    (await seedWebhook(uniqueOrg("other"), { types: ["*"] })).id;

    const result = await publishEvent(db, env.DELIVERY_QUEUE, org, { type: "invoice.paid", data: { invoiceId: "inv_1" } });
    const rows = await deliveriesOf(result.event.id);
    expect(rows.map((r) => r.webhookId).sort()).toEqual([star, exact].sort());
    expect(rows.every((r) => r.status === "pending" && r.org === org && r.eventType === "invoice.paid")).toBe(true);
  });

  it("inserts more deliveries than fit one statement's 100 parameters", async () => {
    const org = uniqueOrg();
    for (let i = 0; i < 25; i++) (await seedWebhook(org, { types: ["*"] })).id;
    const result = await publishEvent(db, env.DELIVERY_QUEUE, org, { type: "patient.created", data: { patientId: "p1" } });
    expect(await deliveriesOf(result.event.id)).toHaveLength(25);
  });

  it("rejects unknown types and bad data, writing nothing", async () => {
    const org = uniqueOrg();
    await expect(publishEvent(db, env.DELIVERY_QUEUE, org, { type: "patient.exploded", data: {} })).rejects.toMatchObject({
      code: "validation_error",
    });
    await expect(publishEvent(db, env.DELIVERY_QUEUE, org, { type: "patient.created", data: { name: "Rex" } })).rejects.toMatchObject({
      code: "validation_error",
      details: [expect.objectContaining({ path: "data.patientId" })],
    });
    expect(await db.select().from(events).where(eq(events.org, org))).toHaveLength(0);
  });

  it("replays an Idempotency-Key, also under concurrency, and refuses it for another body", async () => {
    const org = uniqueOrg();
    (await seedWebhook(org, { types: ["*"] })).id;
    const input = { type: "patient.created", data: { patientId: "p1", name: "Rex" } };
    const results = await Promise.all([1, 2, 3].map(() => publishEvent(db, env.DELIVERY_QUEUE, org, input, "key-1")));
    expect(new Set(results.map((r) => r.event.id)).size).toBe(1);
    const again = await publishEvent(db, env.DELIVERY_QUEUE, org, { type: "patient.created", data: { name: "Rex", patientId: "p1" } }, "key-1");
    expect(again).toMatchObject({ replayed: true, event: results[0]!.event });
    expect(await db.select().from(events).where(eq(events.org, org))).toHaveLength(1);
    await expect(publishEvent(db, env.DELIVERY_QUEUE, org, { type: "patient.created", data: { patientId: "p2" } }, "key-1")).rejects.toMatchObject({
      code: "conflict",
    });
    // The same key in another org is independent.
    const other = await publishEvent(db, env.DELIVERY_QUEUE, uniqueOrg(), input, "key-1");
    expect(other.replayed).toBe(false);
  });

  it("keeps the rows when enqueueing fails (the sweep sends them later)", async () => {
    const org = uniqueOrg();
    (await seedWebhook(org, { types: ["*"] })).id;
    const failing = { sendBatch: vi.fn().mockRejectedValue(new Error("queue down")) } as unknown as Queue;
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const result = await publishEvent(db, failing, org, { type: "patient.created", data: { patientId: "p1" } });
    expect(error).toHaveBeenCalled();
    error.mockRestore();
    expect((await deliveriesOf(result.event.id)).map((d) => d.status)).toEqual(["pending"]);
  });
});

describe("subscriber lookup", () => {
  it("is an index search, never a scan of the org's webhooks", async () => {
    // Capture the SQL the production function sends, then ask SQLite how it would run it.
    const spy = vi.spyOn(env.DB, "prepare");
    await findSubscribers(db, "o", "invoice.paid");
    const query = spy.mock.calls.at(-1)![0];
    spy.mockRestore();
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${query}`).bind("o", "invoice.paid", "invoice.*", "*", 1).all<{ detail: string }>();
    const details = plan.results.map((r) => r.detail).join("\n");
    expect(details).toMatch(/SEARCH webhook_event_types USING (COVERING )?INDEX webhook_event_types_lookup/);
    expect(details).toMatch(/SEARCH webhooks USING INDEX/);
    expect(details).not.toMatch(/SCAN webhooks|SCAN webhook_event_types/);
  });
});
