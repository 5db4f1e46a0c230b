// Table deliveries, seen as each ordered webhook's line: its pending deliveries in publish order
// (created_at, id). The head of the line is the earliest pending delivery; the ones behind it
// are parked (pending, next_attempt_at NULL) until the head ends, and then released one by one.
// Every query is a range of deliveries_webhook_status_created (webhook_id, status, created_at,
// id, org), so a line of any length costs an index seek.
// Every change here hands the delivery to a new queue message, so each also clears claimed_by
// (deliveries.ts, claimDeliveries): the new message, not the one just acked, owns it next.
import { and, asc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "../client";
import { deliveries, webhooks } from "../schema";

const earlierPendingOf = (org: string, d: { webhookId: string; createdAt: Date; id: string }) =>
  sql`EXISTS (SELECT 1 FROM ${deliveries} AS earlier WHERE earlier.webhook_id = ${d.webhookId} AND earlier.status = 'pending'
    AND earlier.org = ${org} AND (earlier.created_at < ${d.createdAt.getTime()} OR (earlier.created_at = ${d.createdAt.getTime()} AND earlier.id < ${d.id})))`;

/** The webhook is ordered now: the consumer decided from a row loaded earlier in its batch. */
const stillOrdered = (org: string, webhookId: string) =>
  sql`EXISTS (SELECT 1 FROM ${webhooks} WHERE ${webhooks.id} = ${webhookId} AND ${webhooks.org} = ${org} AND ${webhooks.ordered} = 1)`;

/**
 * Parks the delivery if an earlier one of its webhook is still pending: one conditional UPDATE,
 * so it cannot interleave with a release of this delivery (the release sets a time after the
 * earlier one ended; a park after that finds no earlier pending delivery and changes nothing),
 * nor with turning `ordered` off (unparkAll releases what was parked before; a park after it
 * finds the webhook unordered and changes nothing, else nothing would ever release it).
 * True when parked.
 */
export async function parkBehindEarlier(db: Db, org: string, d: { webhookId: string; createdAt: Date; id: string }, now: Date): Promise<boolean> {
  const rows = await db
    .update(deliveries)
    .set({ nextAttemptAt: null, updatedAt: now, claimedBy: null })
    .where(
      and(
        eq(deliveries.id, d.id),
        eq(deliveries.org, org),
        eq(deliveries.status, "pending"),
        earlierPendingOf(org, d),
        stillOrdered(org, d.webhookId),
      ),
    )
    .returning({ id: deliveries.id });
  return rows.length > 0;
}

/** The id of the webhook's head (its earliest pending delivery); org and webhook as values or as the outer query's columns. */
const headOf = (db: Db, org: string | typeof webhooks.org, webhookId: string | typeof webhooks.id) =>
  db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(and(eq(deliveries.webhookId, webhookId), eq(deliveries.status, "pending"), eq(deliveries.org, org)))
    .orderBy(asc(deliveries.createdAt), asc(deliveries.id))
    .limit(1);

/** Handing a delivery to a new queue message: due now, and no message owns it yet. */
export const handedOver = (now: Date) => ({ nextAttemptAt: now, updatedAt: now, claimedBy: null });

/** Gives the head of the webhook's line a time if it is parked; its id, to enqueue. */
export async function releaseHead(db: Db, org: string, webhookId: string, now: Date): Promise<string | undefined> {
  const [row] = await db
    .update(deliveries)
    .set(handedOver(now))
    .where(and(eq(deliveries.id, sql`(${headOf(db, org, webhookId)})`), isNull(deliveries.nextAttemptAt), eq(deliveries.status, "pending")))
    .returning({ id: deliveries.id });
  return row?.id;
}

/**
 * For the cron sweep: ordered webhooks whose head has been parked since before `stalledBefore`
 * (its predecessor ended but the release was lost, e.g. the isolate died in between), released.
 * Reads one index entry per ordered webhook (webhooks_ordered) plus its head.
 */
export async function releaseStalledHeads(db: Db, now: Date, stalledBefore: Date, limit: number) {
  const heads = db
    .select({ id: deliveries.id })
    .from(webhooks)
    .innerJoin(deliveries, eq(deliveries.id, sql`(${headOf(db, webhooks.org, webhooks.id)})`))
    .where(and(sql`${webhooks.ordered} = 1`, isNull(deliveries.nextAttemptAt), lt(deliveries.updatedAt, stalledBefore)))
    .limit(limit);
  // One statement for all of them, as claimOverdueDeliveries does.
  return db
    .update(deliveries)
    .set(handedOver(now))
    .where(and(inArray(deliveries.id, heads), isNull(deliveries.nextAttemptAt), eq(deliveries.status, "pending")))
    .returning({ id: deliveries.id, org: deliveries.org });
}

/** When a webhook stops being ordered: its parked deliveries get a time (the sweep sends them). */
export const unparkAll = (db: Db, org: string, webhookId: string, now: Date) =>
  db
    .update(deliveries)
    .set(handedOver(now))
    .where(and(eq(deliveries.webhookId, webhookId), eq(deliveries.status, "pending"), isNull(deliveries.nextAttemptAt), eq(deliveries.org, org)));

/** A rate-limited delivery's reserved slot, so the API and the sweep see when it will start. */
export async function scheduleAt(db: Db, org: string, id: string, at: Date): Promise<void> {
  await db
    .update(deliveries)
    .set({ nextAttemptAt: at, claimedBy: null })
    .where(and(eq(deliveries.id, id), eq(deliveries.org, org), eq(deliveries.status, "pending")));
}
