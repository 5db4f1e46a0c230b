// Table deliveries: one row per (event, webhook). A delivery row is also the outbox entry: the
// cron sweep re-enqueues pending rows whose message never arrived. The attempt log is in
// delivery-attempts.ts.
import { and, asc, eq, exists, getTableColumns, inArray, isNull, lt, lte, ne, or, sql } from "drizzle-orm";
import { listPage, type Page, type PageQuery } from "../../lib/pagination";
import { chunks, D1_MAX_PARAMS, type Db, type Statement } from "../client";
import { type DeliveryRow, type DeliveryStatus, deliveries, events, type NewDeliveryRow, webhooks } from "../schema";

// GET /events/:id lists the event's deliveries inline; one per subscribed webhook, so this
// bound is only reached by an org with more webhooks than that. Older ones are still
// reachable through GET /webhooks/:id/deliveries.
export const EVENT_DELIVERIES_SHOWN = 100;

// A multi-row INSERT binds one parameter per column per row.
const DELIVERY_ROWS_PER_INSERT = Math.floor(D1_MAX_PARAMS / Object.keys(getTableColumns(deliveries)).length);

const byId = (org: string, id: string) => and(eq(deliveries.id, id), eq(deliveries.org, org));

/** Statements inserting `rows`, chunked under D1's parameter limit. */
export const insertDeliveries = (db: Db, rows: (NewDeliveryRow & { id: string; org: string })[]): Statement[] =>
  [...chunks(rows, DELIVERY_ROWS_PER_INSERT)].map((chunk) => db.insert(deliveries).values(chunk));

export async function findDelivery(db: Db, org: string, id: string): Promise<DeliveryRow | undefined> {
  const [row] = await db.select().from(deliveries).where(byId(org, id));
  return row;
}

export const listDeliveriesOfWebhook = (
  db: Db,
  org: string,
  webhookId: string,
  filter: PageQuery & { status?: DeliveryStatus },
): Promise<Page<DeliveryRow>> =>
  listPage(
    db.select().from(deliveries).$dynamic(),
    deliveries,
    [eq(deliveries.webhookId, webhookId), eq(deliveries.org, org), filter.status ? eq(deliveries.status, filter.status) : undefined],
    filter,
  );

export const listDeliveriesOfEvent = (db: Db, org: string, eventId: string) =>
  db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.eventId, eventId), eq(deliveries.org, org)))
    .orderBy(asc(deliveries.createdAt), asc(deliveries.id))
    .limit(EVENT_DELIVERIES_SHOWN);

/** The delivery with its webhook and event; either is null once deleted or purged. */
export async function loadDeliveryContext(db: Db, org: string, deliveryId: string) {
  const [row] = await db
    .select({ delivery: deliveries, webhook: webhooks, event: events })
    .from(deliveries)
    .leftJoin(webhooks, and(eq(webhooks.id, deliveries.webhookId), eq(webhooks.org, deliveries.org)))
    .leftJoin(events, and(eq(events.id, deliveries.eventId), eq(events.org, deliveries.org)))
    .where(byId(org, deliveryId));
  return row;
}

export type DeliveryContext = NonNullable<Awaited<ReturnType<typeof loadDeliveryContext>>>;
export type LoadedWebhook = NonNullable<DeliveryContext["webhook"]>;

export interface ClaimRequest {
  /** The queue message's id (the same on each of the queue's retries of it). */
  messageId: string;
  /** A delivery due later than this is not claimed (the message is an early copy). */
  dueBy: Date;
  /** next_attempt_at while the attempt runs: no other copy claims it, the sweep leaves it alone. */
  leaseUntil: Date;
}

/**
 * The consumer's claim on one attempt, and the delivery's context, in one D1 batch (one round
 * trip, one transaction). The claim succeeds for one message only: the delivery must be
 * pending, due, and unowned or owned by this message; the claim records the owner and moves
 * next_attempt_at to `leaseUntil`, so any other copy, in this batch or another, is refused.
 */
export async function claimDelivery(
  db: Db,
  org: string,
  deliveryId: string,
  request: ClaimRequest,
): Promise<{ claimed: boolean; ctx: DeliveryContext | undefined }> {
  // Three plain selects rather than one join: in a D1 batch, rows come back keyed by column
  // name, and the joined tables' equal names (id, org, …) would overwrite each other.
  const ofDelivery = (column: typeof deliveries.webhookId | typeof deliveries.eventId) =>
    db.select({ id: column }).from(deliveries).where(byId(org, deliveryId));
  const [claimed, [delivery], [webhook], [event]] = await db.batch([
    db
      .update(deliveries)
      .set({ claimedBy: request.messageId, nextAttemptAt: request.leaseUntil })
      .where(
        and(
          byId(org, deliveryId),
          eq(deliveries.status, "pending"),
          or(isNull(deliveries.claimedBy), eq(deliveries.claimedBy, request.messageId)),
          or(isNull(deliveries.nextAttemptAt), lte(deliveries.nextAttemptAt, request.dueBy)),
        ),
      )
      .returning({ id: deliveries.id }),
    db.select().from(deliveries).where(byId(org, deliveryId)),
    db
      .select()
      .from(webhooks)
      .where(and(eq(webhooks.org, org), inArray(webhooks.id, ofDelivery(deliveries.webhookId)))),
    db
      .select()
      .from(events)
      .where(and(eq(events.org, org), inArray(events.id, ofDelivery(deliveries.eventId)))),
  ]);
  return { claimed: claimed.length > 0, ctx: delivery && { delivery, webhook: webhook ?? null, event: event ?? null } };
}

/** Gives a claim's lease back (our own failure before the attempt was recorded): due now again. */
export const releaseClaim = (db: Db, org: string, deliveryId: string, request: ClaimRequest, now: Date) =>
  db
    .update(deliveries)
    .set({ nextAttemptAt: now })
    .where(
      and(
        byId(org, deliveryId),
        eq(deliveries.status, "pending"),
        eq(deliveries.claimedBy, request.messageId),
        eq(deliveries.nextAttemptAt, request.leaseUntil),
      ),
    );

/** Statement (for the webhook delete batch): every pending delivery of that webhook stops for good. */
export const failPendingDeliveriesOfWebhook = (db: Db, org: string, webhookId: string, now: Date) =>
  db
    .update(deliveries)
    .set({ status: "failed", lastError: "webhook deleted", nextAttemptAt: null, updatedAt: now })
    .where(and(eq(deliveries.webhookId, webhookId), eq(deliveries.org, org), eq(deliveries.status, "pending")));

/** Ends one still-pending delivery as failed without an attempt; false when it was no longer pending. */
export async function failPendingDeliveryById(db: Db, org: string, deliveryId: string, error: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(deliveries)
    .set({ status: "failed", lastError: error, nextAttemptAt: null, updatedAt: now })
    .where(and(byId(org, deliveryId), eq(deliveries.status, "pending")))
    .returning({ id: deliveries.id });
  return rows.length > 0;
}

/**
 * A finished delivery back to pending with a fresh attempt schedule starting now. One
 * conditional UPDATE, so two concurrent retries cannot both succeed, and a delivery whose
 * webhook is gone or inactive is never revived. `attempts` keeps counting (it numbers the
 * log); `schedule_start` tells the consumer where the new schedule began. `last_error`
 * stays until the next attempt replaces it. Returns the row, or undefined if not retried.
 */
export async function resetForRetry(db: Db, org: string, id: string, now: Date): Promise<DeliveryRow | undefined> {
  const [row] = await db
    .update(deliveries)
    .set({
      status: "pending",
      scheduleStart: sql`${deliveries.attempts}`,
      // The new message takes over; a stray copy of an earlier one may too, but only one.
      claimedBy: null,
      nextAttemptAt: now,
      deliveredAt: null,
      updatedAt: now,
    })
    .where(
      and(
        byId(org, id),
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

/** After its first re-enqueue, a delivery waits 1, 2, 4, … up to 16 minutes before the next. */
const REQUEUE_BACKOFF_MS = 60_000;
const REQUEUE_BACKOFF_CAP = 5;

/**
 * For the cron sweep: pending deliveries overdue (next_attempt_at more than `graceMs` ago, or
 * never set), oldest first, released for a new message in one statement: next_attempt_at moves
 * to `now` (so the next run leaves them to the new message) and the owner is cleared (so the
 * new message, or the old one if it was only stuck in a backlog, whichever arrives first, takes
 * over; the other is dropped). A delivery the sweep already re-enqueued waits
 * REQUEUE_BACKOFF_MS × 2^(requeues−1) instead of the grace, so a long queue backlog is not
 * flooded with copies every minute. A row the consumer has leased is not overdue until its
 * lease ends. Across orgs by design (the sweep serves them all); uses deliveries_pending_due.
 */
export async function claimOverdueDeliveries(db: Db, now: Date, graceMs: number, limit: number) {
  const wait = sql`CASE WHEN ${deliveries.requeues} = 0 THEN ${graceMs} ELSE ${REQUEUE_BACKOFF_MS} * (1 << (min(${deliveries.requeues}, ${REQUEUE_BACKOFF_CAP}) - 1)) END`;
  const overdue = and(
    eq(deliveries.status, "pending"),
    or(
      and(lt(deliveries.nextAttemptAt, new Date(now.getTime() - graceMs)), sql`${deliveries.nextAttemptAt} + ${wait} < ${now.getTime()}`),
      isNull(deliveries.nextAttemptAt),
    ),
  );
  const due = db.select({ id: deliveries.id }).from(deliveries).where(overdue).orderBy(asc(deliveries.nextAttemptAt)).limit(limit);
  return db
    .update(deliveries)
    .set({ nextAttemptAt: now, claimedBy: null, requeues: sql`${deliveries.requeues} + 1` })
    .where(and(inArray(deliveries.id, due), overdue))
    .returning({ id: deliveries.id, org: deliveries.org });
}
