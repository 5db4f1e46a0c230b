// Queries of the cron sweep: find stranded pending deliveries, purge rows past retention.
// Every statement is bounded so one run stays well inside a scheduled invocation's limits.
import { and, asc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../client";
import { deliveries, deliveryAttempts, events, idempotencyKeys } from "../schema";

/**
 * Pending deliveries whose next attempt is overdue by more than the grace (or that never got a
 * time), oldest first, and their next_attempt_at moved to `now` in the same breath so the next
 * run does not pick them again before the new message had its chance. Uses deliveries_pending_due.
 */
export async function claimOverdueDeliveries(db: Db, now: Date, overdueBefore: Date, limit: number) {
  const due = await db
    .select({ id: deliveries.id, org: deliveries.org })
    .from(deliveries)
    .where(and(eq(deliveries.status, "pending"), or(lt(deliveries.nextAttemptAt, overdueBefore), isNull(deliveries.nextAttemptAt))))
    .orderBy(asc(deliveries.nextAttemptAt))
    .limit(limit);
  // D1 binds at most 100 parameters per statement.
  for (let i = 0; i < due.length; i += 90) {
    const ids = due.slice(i, i + 90).map((d) => d.id);
    await db
      .update(deliveries)
      .set({ nextAttemptAt: now })
      .where(and(inArray(deliveries.id, ids), eq(deliveries.status, "pending")));
  }
  return due;
}

/**
 * Deletes up to `limit` events created before `cutoff`, with their deliveries and attempt
 * logs, children first, in one batch. Returns how many events went, so the caller can loop.
 */
export async function purgeEventsBefore(db: Db, cutoff: Date, limit: number): Promise<number> {
  const old = await db
    .select({ id: events.id })
    .from(events)
    .where(lt(events.createdAt, cutoff))
    .orderBy(asc(events.createdAt))
    .limit(Math.min(limit, 90));
  if (old.length === 0) return 0;
  const eventIds = old.map((e) => e.id);
  const deliveryIdsOfEvents = db.select({ id: deliveries.id }).from(deliveries).where(inArray(deliveries.eventId, eventIds));
  await db.batch([
    db.delete(deliveryAttempts).where(inArray(deliveryAttempts.deliveryId, deliveryIdsOfEvents)),
    db.delete(deliveries).where(inArray(deliveries.eventId, eventIds)),
    db.delete(events).where(inArray(events.id, eventIds)),
  ]);
  return old.length;
}

/** Deletes up to `limit` idempotency keys created before `cutoff`; returns how many. */
export async function purgeIdempotencyKeysBefore(db: Db, cutoff: Date, limit: number): Promise<number> {
  const rows = await db
    .delete(idempotencyKeys)
    .where(
      sql`rowid IN (SELECT rowid FROM ${idempotencyKeys} WHERE ${idempotencyKeys.createdAt} < ${cutoff.getTime()} LIMIT ${limit})`,
    )
    .returning({ key: idempotencyKeys.key });
  return rows.length;
}
