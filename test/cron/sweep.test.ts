// The cron sweep: stranded pending deliveries are enqueued again (the outbox), and rows past
// their retention are purged, children with their events.
import { createScheduledController, env } from "cloudflare:test";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runSweep } from "../../src/cron/sweep";
import worker from "../../src/index";
import { deliveries, deliveryAttempts, events, idempotencyKeys } from "../../src/db/schema";
import { db, envWith, NOW, seedDelivery, recordingQueue } from "../support";

const minutes = (n: number) => n * 60_000;

describe("re-enqueueing stranded deliveries", () => {
  it("enqueues pending deliveries well past their time, and only those", async () => {
    const overdue = await seedDelivery({ nextAttemptAt: new Date(NOW.getTime() - minutes(5)) });
    const justDue = await seedDelivery({ nextAttemptAt: new Date(NOW.getTime() - minutes(1)) });
    const future = await seedDelivery({ nextAttemptAt: new Date(NOW.getTime() + minutes(30)) });
    const done = await seedDelivery({ nextAttemptAt: new Date(NOW.getTime() - minutes(5)) });
    await db.update(deliveries).set({ status: "succeeded" }).where(eq(deliveries.id, done.deliveryId));

    const { queue, sent } = recordingQueue();
    const result = await runSweep(envWith({ DELIVERY_QUEUE: queue }), NOW);
    const mine = new Set([overdue, justDue, future, done].map((s) => s.deliveryId));
    const ours = sent.filter((m) => mine.has((m as { deliveryId: string }).deliveryId));
    expect(ours).toEqual([overdue.message]);
    expect(result.requeued).toBeGreaterThanOrEqual(1);

    // The clock restarts, so the next minute's run leaves it to the message just sent.
    const [row] = await db.select().from(deliveries).where(eq(deliveries.id, overdue.deliveryId));
    expect(row!.nextAttemptAt).toEqual(NOW);
    const again = recordingQueue();
    await runSweep(envWith({ DELIVERY_QUEUE: again.queue }), new Date(NOW.getTime() + minutes(1)));
    expect(again.sent.filter((m) => mine.has((m as { deliveryId: string }).deliveryId))).toEqual([]);
  });

  it("the Worker's scheduled handler runs the sweep", async () => {
    const stranded = await seedDelivery({ nextAttemptAt: new Date(Date.now() - minutes(10)) });
    const controller = createScheduledController({ scheduledTime: new Date(), cron: "* * * * *" });
    await worker.scheduled(controller, env);
    const [row] = await db.select().from(deliveries).where(eq(deliveries.id, stranded.deliveryId));
    expect(row!.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() - minutes(1));
  });
});

describe("retention purge", () => {
  it("deletes events past EVENT_RETENTION_DAYS with their deliveries and attempts, keeps newer ones", async () => {
    const old = await seedDelivery();
    const recent = await seedDelivery();
    const longAgo = new Date(NOW.getTime() - 31 * 86_400_000);
    await db.update(events).set({ createdAt: longAgo }).where(eq(events.id, old.eventId));
    for (const s of [old, recent]) {
      await db.insert(deliveryAttempts).values({ deliveryId: s.deliveryId, org: s.org, attempt: 1, durationMs: 5, at: NOW });
    }
    await db
      .update(deliveries)
      .set({ status: "succeeded" })
      .where(inArray(deliveries.id, [old.deliveryId, recent.deliveryId]));

    const result = await runSweep(envWith({ DELIVERY_QUEUE: recordingQueue().queue }), NOW);
    expect(result.purgedEvents).toBeGreaterThanOrEqual(1);
    expect(await db.select().from(events).where(eq(events.id, old.eventId))).toEqual([]);
    expect(await db.select().from(deliveries).where(eq(deliveries.id, old.deliveryId))).toEqual([]);
    expect(await db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, old.deliveryId))).toEqual([]);
    expect(await db.select().from(events).where(eq(events.id, recent.eventId))).toHaveLength(1);
    expect(await db.select().from(deliveries).where(eq(deliveries.id, recent.deliveryId))).toHaveLength(1);
    expect(await db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, recent.deliveryId))).toHaveLength(1);
  });

  it("deletes idempotency keys older than 24 h", async () => {
    const seed = await seedDelivery();
    await db.insert(idempotencyKeys).values([
      { org: seed.org, key: "old", requestHash: "h", eventId: seed.eventId, createdAt: new Date(NOW.getTime() - 25 * 3_600_000) },
      { org: seed.org, key: "new", requestHash: "h", eventId: seed.eventId, createdAt: new Date(NOW.getTime() - 23 * 3_600_000) },
    ]);
    await runSweep(envWith({ DELIVERY_QUEUE: recordingQueue().queue }), NOW);
    const left = await db.select({ key: idempotencyKeys.key }).from(idempotencyKeys).where(eq(idempotencyKeys.org, seed.org));
    expect(left).toEqual([{ key: "new" }]);
  });
});
