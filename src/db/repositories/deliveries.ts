// Deliveries, read side and manual retry. The queue consumer owns the attempt-writing side.
import { and, asc, eq, exists, ne, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { deliveries, deliveryAttempts, webhooks, type DeliveryStatus } from "../schema";
import { afterCursor, newestFirst, page } from "../../lib/pagination";

// GET /events/:id lists the event's deliveries inline; one per subscribed webhook, so this
// bound is only reached by an org with more webhooks than that. Older ones are still
// reachable through GET /webhooks/:id/deliveries.
export const EVENT_DELIVERIES_SHOWN = 100;

/** The org's deliveries, newest first; of one webhook when `webhookId` is given. */
export async function listDeliveries(
  db: Db,
  org: string,
  query: { webhookId?: string; status?: DeliveryStatus; limit: number; cursor?: string },
) {
  const conditions: (SQL | undefined)[] = [
    query.webhookId ? eq(deliveries.webhookId, query.webhookId) : undefined,
    eq(deliveries.org, org),
    query.status ? eq(deliveries.status, query.status) : undefined,
    afterCursor(query.cursor, deliveries),
  ];
  const rows = await db
    .select()
    .from(deliveries)
    .where(and(...conditions))
    .orderBy(...newestFirst(deliveries))
    .limit(query.limit + 1);
  return page(rows, query.limit);
}

export async function findDelivery(db: Db, org: string, id: string) {
  const [row] = await db.select().from(deliveries).where(and(eq(deliveries.id, id), eq(deliveries.org, org)));
  return row;
}

/** The attempt log, oldest first (the primary key orders it). */
export const listAttempts = (db: Db, org: string, deliveryId: string) =>
  db
    .select()
    .from(deliveryAttempts)
    .where(and(eq(deliveryAttempts.deliveryId, deliveryId), eq(deliveryAttempts.org, org)))
    .orderBy(asc(deliveryAttempts.attempt));

export const listEventDeliveries = (db: Db, org: string, eventId: string) =>
  db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.eventId, eventId), eq(deliveries.org, org)))
    .orderBy(asc(deliveries.createdAt), asc(deliveries.id))
    .limit(EVENT_DELIVERIES_SHOWN);

/** Statement (for the delete batch): pending deliveries to a deleted webhook stop for good. */
export const failPendingDeliveries = (db: Db, org: string, webhookId: string, now: Date) =>
  db
    .update(deliveries)
    .set({ status: "failed", lastError: "webhook deleted", nextAttemptAt: null, updatedAt: now })
    .where(and(eq(deliveries.webhookId, webhookId), eq(deliveries.org, org), eq(deliveries.status, "pending")));

/**
 * A finished delivery back to pending with a fresh attempt schedule starting now. One
 * conditional UPDATE, so two concurrent retries cannot both succeed, and a delivery whose
 * webhook is gone or inactive is never revived. `attempts` keeps counting (it numbers the
 * log); `schedule_start` tells the consumer where the new schedule began. `last_error`
 * stays until the next attempt replaces it. Returns the row, or undefined if not retried.
 */
export async function resetForRetry(db: Db, org: string, id: string, now: Date) {
  const [row] = await db
    .update(deliveries)
    .set({
      status: "pending",
      scheduleStart: sql`${deliveries.attempts}`,
      nextAttemptAt: now,
      deliveredAt: null,
      updatedAt: now,
    })
    .where(
      and(
        eq(deliveries.id, id),
        eq(deliveries.org, org),
        ne(deliveries.status, "pending"),
        exists(
          db
            .select({ one: webhooks.id })
            .from(webhooks)
            .where(and(eq(webhooks.id, deliveries.webhookId), eq(webhooks.org, org), eq(webhooks.active, true))),
        ),
      ),
    )
    .returning();
  return row;
}
