// The cron sweep: stranded pending deliveries are enqueued again (the outbox), and rows past
// their retention are purged, children with their events.
import { createScheduledController, env } from "cloudflare:test";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { OVERDUE_GRACE_MS, runSweep } from "../../src/cron/sweep";
import worker from "../../src/index";
import { deliveries, deliveryAttempts, events, idempotencyKeys } from "../../src/db/schema";
import { db, envWith, NOW, seedDelivery, recordingQueue } from "../support";

const minutes = (n: number) => n * 60_000;

describe("re-enqueueing stranded deliveries", () => {
  it("enqueues pending deliveries past next_attempt_at + the grace, and only those", async () => {
    const seconds = (n: number) => n * 1000;
    const overdue = await seedDelivery({ nextAttemptAt: new Date(NOW.getTime() - minutes(5)) });
    const pastGrace = await seedDelivery({ nextAttemptAt: new Date(NOW.getTime() - OVERDUE_GRACE_MS - seconds(1)) });
    const withinGrace = await seedDelivery({ nextAttemptAt: new Date(NOW.getTime() - OVERDUE_GRACE_MS + seconds(1)) });
    const leased = await seedDelivery({ nextAttemptAt: new Date(NOW.getTime() + seconds(20)) }); // an attempt in progress
    const done = await seedDelivery({ nextAttemptAt: new Date(NOW.getTime() - minutes(5)) });
    await db.update(deliveries).set({ status: "succeeded" }).where(eq(deliveries.id, done.deliveryId));

    const { queue, sent } = recordingQueue();
    const result = await runSweep(envWith({ DELIVERY_QUEUE: queue }), NOW);
    const mine = new Set([overdue, pastGrace, withinGrace, leased, done].map((s) => s.deliveryId));
    const ours = sent.filter((m) => mine.has((m as { deliveryId: string }).deliveryId));
    expect(ours).toEqual([overdue.message, pastGrace.message]);
    expect(result.requeued).toBeGreaterThanOrEqual(2);
    const [row] = await db.select().from(deliveries).where(eq(deliveries.id, overdue.deliveryId));
    expect(row).toMatchObject({ nextAttemptAt: NOW, claimedBy: null, requeues: 1 });
  });

  it("a delivery already re-enqueued waits 1, 2, 4 … minutes before the next copy, not every run", async () => {
    const stuck = await seedDelivery({ nextAttemptAt: new Date(NOW.getTime() - minutes(5)) });
    const runAt = async (at: Date) => {
      const { queue, sent } = recordingQueue();
      await runSweep(envWith({ DELIVERY_QUEUE: queue }), at);
      const copies = sent.filter((m) => (m as { deliveryId: string }).deliveryId === stuck.deliveryId).length;
      return copies ? (await db.select().from(deliveries).where(eq(deliveries.id, stuck.deliveryId)))[0]!.requeues : 0;
    };
    const at = (n: number) => new Date(NOW.getTime() + minutes(n));
    // The value is the copy's number (requeues), 0 when the run sent none.
    expect(await runAt(at(0))).toBe(1);
    expect(await runAt(at(1))).toBe(0); // 1 minute after the copy: not yet
    expect(await runAt(at(1.5))).toBe(2);
    expect(await runAt(at(3))).toBe(0);
    expect(await runAt(at(3.6))).toBe(3); // 2 minutes after the second copy
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
