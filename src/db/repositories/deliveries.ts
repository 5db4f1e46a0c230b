// Table deliveries: one row per (event, webhook). A delivery row is also the outbox entry: the
// cron sweep re-enqueues pending rows whose message never arrived. The attempt log is in
// delivery-attempts.ts.
import {
  and,
  asc,
  count,
  eq,
  exists,
  getTableColumns,
  gte,
  inArray,
  isNull,
  lt,
  lte,
  ne,
  or,
  type Placeholder,
  type SQL,
  sql,
  type Table,
} from "drizzle-orm";
import { listPage, type Page, type PageQuery } from "../../lib/pagination";
import { chunks, D1_MAX_PARAMS, type Db, type Statement } from "../client";
import { commitCompiled, compiled, compiledPerCount, placeholderList, rowOf, valuesOf } from "../compiled";
import {
  DELIVERY_STATUSES,
  type DeliveryRow,
  type DeliveryStatus,
  deliveries,
  type EventRow,
  events,
  type NewDeliveryRow,
  type WebhookRow,
  webhooks,
} from "../schema";
import { handedOver } from "./delivery-lines";

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

/** The org's deliveries, or one webhook's, newest first (keyset pages), optionally of one status. */
export const listDeliveries = (
  db: Db,
  org: string,
  filter: PageQuery & { status?: DeliveryStatus; webhookId?: string },
): Promise<Page<DeliveryRow>> =>
  listPage(
    db.select().from(deliveries).$dynamic(),
    deliveries,
    [
      filter.webhookId ? eq(deliveries.webhookId, filter.webhookId) : undefined,
      eq(deliveries.org, org),
      filter.status ? eq(deliveries.status, filter.status) : undefined,
    ],
    filter,
  );

export const listDeliveriesOfEvent = (db: Db, org: string, eventId: string) =>
  db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.eventId, eventId), eq(deliveries.org, org)))
    .orderBy(asc(deliveries.createdAt), asc(deliveries.id))
    .limit(EVENT_DELIVERIES_SHOWN);

export interface DeliveryContext {
  delivery: DeliveryRow;
  /** Null once the webhook is deleted. */
  webhook: WebhookRow | null;
  /** Null once the event is purged (retention). */
  event: EventRow | null;
}

/**
 * Deliveries with their webhook and event, keyed by delivery id. A row is returned only under
 * the org its key named.
 */
export async function loadDeliveryContexts(db: Db, keys: readonly { org: string; deliveryId: string }[]) {
  return contextsByKey(keys, await commitCompiled(db, contextQueries(db, keys)));
}

// The consumer loads every batch's contexts with these (compiled: db/compiled.ts), once per
// count of ids. Three plain selects (deliveries, their webhooks, their events) rather than one
// join: in a D1 batch rows come back keyed by column name, where the three tables' `id`, `org`
// and `created_at` would overwrite each other.
type Named = (name: string, i: number) => Placeholder;
/** The webhook or event ids of the n deliveries, as a subquery. */
const ofTheseDeliveries = (db: Db, p: Named, n: number, column: typeof deliveries.webhookId | typeof deliveries.eventId) =>
  db
    .select({ id: column })
    .from(deliveries)
    .where(inArray(deliveries.id, placeholderList(p, "id", n)));
const contextShapes = [
  compiledPerCount((db, p, n) =>
    db
      .select()
      .from(deliveries)
      .where(inArray(deliveries.id, placeholderList(p, "id", n))),
  ),
  compiledPerCount((db, p, n) =>
    db
      .select()
      .from(webhooks)
      .where(inArray(webhooks.id, ofTheseDeliveries(db, p, n, deliveries.webhookId))),
  ),
  compiledPerCount((db, p, n) =>
    db
      .select()
      .from(events)
      .where(inArray(events.id, ofTheseDeliveries(db, p, n, deliveries.eventId))),
  ),
];

/** Per D1_IN_LIST_CHUNK ids, the three contextShapes. */
function contextQueries(db: Db, keys: readonly { deliveryId: string }[]): D1PreparedStatement[] {
  return [...chunks([...new Set(keys.map((k) => k.deliveryId))])].flatMap((ids) => {
    const values = valuesOf(ids.map((id) => ({ id })));
    return contextShapes.map((shape) => shape(db, ids.length, values));
  });
}

/** Joins contextQueries' results (in their order) in memory, each row only within its own org. */
function contextsByKey(keys: readonly { org: string; deliveryId: string }[], results: D1Result[]): Map<string, DeliveryContext> {
  const wanted = new Map(keys.map((k) => [k.deliveryId, k.org]));
  const rows = <T extends Table>(offset: number, table: T) =>
    results
      .filter((_, i) => i % contextShapes.length === offset)
      .flatMap((r) => (r.results as Record<string, unknown>[]).map((raw) => rowOf(table, raw)));
  const byOrgAndId = <T extends { org: string; id: string }>(list: T[]) => new Map(list.map((r) => [`${r.org}:${r.id}`, r]));
  const hooks = byOrgAndId(rows(1, webhooks));
  const evts = byOrgAndId(rows(2, events));
  const found = new Map<string, DeliveryContext>();
  for (const delivery of rows(0, deliveries)) {
    if (wanted.get(delivery.id) !== delivery.org) continue;
    found.set(delivery.id, {
      delivery,
      webhook: hooks.get(`${delivery.org}:${delivery.webhookId}`) ?? null,
      event: evts.get(`${delivery.org}:${delivery.eventId}`) ?? null,
    });
  }
  return found;
}

/** One delivery's context (the dead-letter path, message by message). */
export async function loadDeliveryContext(db: Db, org: string, deliveryId: string) {
  return (await loadDeliveryContexts(db, [{ org, deliveryId }])).get(deliveryId);
}

/** Statement (for the webhook delete batch): every pending delivery of that webhook stops for good. */
export const failPendingDeliveriesOfWebhook = (db: Db, org: string, webhookId: string, now: Date) =>
  db
    .update(deliveries)
    .set({ status: "failed", lastError: "webhook deleted", nextAttemptAt: null, updatedAt: now })
    .where(and(eq(deliveries.webhookId, webhookId), eq(deliveries.org, org), eq(deliveries.status, "pending")));

const endPending = compiled<"id" | "org" | "error" | "now">((db, p) =>
  db
    .update(deliveries)
    .set({ status: "failed", lastError: sql`${p("error")}`, nextAttemptAt: null, updatedAt: sql`${p("now")}` })
    .where(and(eq(deliveries.id, p("id")), eq(deliveries.org, p("org")), eq(deliveries.status, "pending"))),
);

/** Statement (compiled: the consumer's hot path): ends one still-pending delivery as failed without an attempt (no-op once it is not pending). */
export const endPendingDelivery = (db: Db, org: string, deliveryId: string, error: string, now: Date) =>
  endPending(db, { id: deliveryId, org, error, now: now.getTime() });

/**
 * A finished delivery back to pending with a schedule starting now (retry and recover): the new
 * message takes over (a stray copy of an earlier one may too, but only one), and the sweep's
 * re-enqueue backoff starts again (claimOverdueDeliveries).
 */
const freshSchedule = (now: Date) => ({
  ...handedOver(now),
  status: "pending" as const,
  scheduleStart: sql`${deliveries.attempts}`,
  deliveredAt: null,
  requeues: 0,
});

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
    .set(freshSchedule(now))
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

/**
 * After its first re-enqueue, a delivery waits 1, 2, 4, … up to 16 minutes before the next.
 * The count restarts when an attempt is recorded or the delivery is retried or recovered: a
 * message got through, so a later lost message is again picked up after the grace.
 */
const REQUEUE_BACKOFF_MS = 60_000;
const REQUEUE_BACKOFF_CAP = 5;

/**
 * For the cron sweep: pending deliveries overdue (next_attempt_at more than `graceMs` ago;
 * parked deliveries, with no time, are not theirs), oldest first, released for a new message in one statement: next_attempt_at moves
 * to `now` (so the next run leaves them to the new message) and the owner is cleared (so the
 * new message, or the old one if it was only stuck in a backlog, whichever arrives first, takes
 * over; the other is dropped). A delivery the sweep already re-enqueued waits
 * REQUEUE_BACKOFF_MS × 2^(requeues−1) instead of the grace, so a long queue backlog is not
 * flooded with copies every minute. A row the consumer has leased is not overdue until its
 * lease ends. Across orgs by design (the sweep serves them all); uses deliveries_pending_due.
 */
export async function claimOverdueDeliveries(db: Db, now: Date, graceMs: number, limit: number) {
  const wait = sql`CASE WHEN ${deliveries.requeues} = 0 THEN ${graceMs} ELSE ${REQUEUE_BACKOFF_MS} * (1 << (min(${deliveries.requeues}, ${REQUEUE_BACKOFF_CAP}) - 1)) END`;
  // next_attempt_at NULL is a delivery parked behind an earlier one of an ordered webhook
  // (delivery-lines.ts): it waits for its release, not for the sweep.
  const overdue = and(
    eq(deliveries.status, "pending"),
    lt(deliveries.nextAttemptAt, new Date(now.getTime() - graceMs)),
    sql`${deliveries.nextAttemptAt} + ${wait} < ${now.getTime()}`,
  );
  const due = db.select({ id: deliveries.id }).from(deliveries).where(overdue).orderBy(asc(deliveries.nextAttemptAt)).limit(limit);
  return db
    .update(deliveries)
    .set({ nextAttemptAt: now, claimedBy: null, requeues: sql`${deliveries.requeues} + 1` })
    .where(and(inArray(deliveries.id, due), overdue))
    .returning({ id: deliveries.id, org: deliveries.org });
}

export interface Claim {
  org: string;
  deliveryId: string;
  /** The queue message's id (the same on each of the queue's retries of it). */
  messageId: string;
}

/**
 * The consumer's claims on a batch's attempts, and the batch's delivery contexts, in one D1
 * batch (one round trip, one transaction, the contexts read after the claims). A claim
 * succeeds for one message only: the delivery must be pending, due by `dueBy`, and unowned or
 * owned by this message; it records the owner and moves next_attempt_at to `leaseUntil`, so
 * any other copy, in this batch or another, is refused and the sweep leaves the attempt
 * alone. Returns, per claim, whether it succeeded, and the contexts by delivery id.
 */
export async function claimAndLoadDeliveries(db: Db, claims: readonly Claim[], dueBy: Date, leaseUntil: Date) {
  const claimStatements = [...chunks(claims, CLAIMS_PER_STATEMENT)].map((chunk) => claimStatement(db, chunk, dueBy, leaseUntil));
  const results = await commitCompiled(db, [...claimStatements, ...contextQueries(db, claims)]);
  const owners = new Set(
    results
      .slice(0, claimStatements.length)
      .flatMap((r) => r.results as { id: string; claimed_by: string }[])
      .map((r) => `${r.id} ${r.claimed_by}`),
  );
  return {
    claimed: claims.map((c) => owners.has(`${c.deliveryId} ${c.messageId}`)),
    contexts: contextsByKey(claims, results.slice(claimStatements.length)),
  };
}

/** 9 parameters per claim (+3), under D1_MAX_PARAMS; a queue batch of up to 10 is one statement. */
const CLAIMS_PER_STATEMENT = 10;

/**
 * One UPDATE for several claims (a statement each cost the consumer more CPU than the rest of
 * the claim: npm run bench, P4), compiled once per count of claims (db/compiled.ts). Two
 * messages of one delivery in the same batch get what one statement each, in message order,
 * gave them: the one that already owns it keeps it, else the first; the rows returned name
 * each delivery's owner. Per claim i: delivery d<i>, org o<i>, message m<i>.
 */
const claimShape = compiledPerCount((db, p, n) => {
  const each = <T>(f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));
  const values = (rows: SQL[]) => sql`(VALUES ${sql.join(rows, sql`, `)})`;
  const ownedByOneOfThese = sql`(${deliveries.id}, ${deliveries.org}, ${deliveries.claimedBy}) IN ${values(
    each((i) => sql`(${p("d", i)}, ${p("o", i)}, ${p("m", i)})`),
  )}`;
  const firstClaimOf = sql`CASE ${sql.join(
    each((i) => sql`WHEN ${deliveries.id} = ${p("d", i)} AND ${deliveries.org} = ${p("o", i)} THEN ${p("m", i)}`),
    sql` `,
  )} END`;
  return (
    db
      .update(deliveries)
      // The WHERE admits only unowned rows and rows one of these owns: an owner keeps it.
      .set({ claimedBy: sql`coalesce(${deliveries.claimedBy}, ${firstClaimOf})`, nextAttemptAt: sql`${p("leaseUntil")}` })
      .where(
        and(
          // The plain id list lets SQLite search the primary key; the (id, org) row values alone
          // would scan the table (EXPLAIN QUERY PLAN).
          inArray(deliveries.id, placeholderList(p, "d", n)),
          sql`(${deliveries.id}, ${deliveries.org}) IN ${values(each((i) => sql`(${p("d", i)}, ${p("o", i)})`))}`,
          eq(deliveries.status, "pending"),
          or(isNull(deliveries.claimedBy), ownedByOneOfThese),
          or(isNull(deliveries.nextAttemptAt), lte(deliveries.nextAttemptAt, p("dueBy"))),
        ),
      )
      .returning({ id: deliveries.id, claimedBy: deliveries.claimedBy })
  );
});

const claimStatement = (db: Db, claims: readonly Claim[], dueBy: Date, leaseUntil: Date) =>
  claimShape(db, claims.length, {
    ...valuesOf(claims.map((c) => ({ d: c.deliveryId, o: c.org, m: c.messageId }))),
    dueBy: dueBy.getTime(),
    leaseUntil: leaseUntil.getTime(),
  });

/** Gives a claim's lease back (our own failure before the attempt was recorded): due now again. */
export const releaseClaim = (db: Db, claim: Claim, leaseUntil: Date, now: Date) =>
  db
    .update(deliveries)
    .set({ nextAttemptAt: now })
    .where(
      and(
        byId(claim.org, claim.deliveryId),
        eq(deliveries.status, "pending"),
        eq(deliveries.claimedBy, claim.messageId),
        eq(deliveries.nextAttemptAt, leaseUntil),
      ),
    );

/**
 * For POST /webhooks/:id/recover: up to `limit` failed deliveries of the webhook created in
 * [since, until), oldest first, back to pending with a fresh schedule (as resetForRetry), in
 * one UPDATE; returns their ids. Only `failed` rows move, so a delivery already pending again
 * (an earlier recover, a manual retry) is never doubled, and the caller loops until none are left.
 * Rows changed at or after `now` (requeued by this recover and already failed again) stay put.
 * Uses deliveries_webhook_status_created.
 */
export async function requeueFailedDeliveries(
  db: Db,
  org: string,
  webhookId: string,
  window: { since: Date; until: Date },
  now: Date,
  limit: number,
): Promise<string[]> {
  const batch = db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.webhookId, webhookId),
        eq(deliveries.status, "failed"),
        gte(deliveries.createdAt, window.since),
        lt(deliveries.createdAt, window.until),
        eq(deliveries.org, org),
        lt(deliveries.updatedAt, now),
      ),
    )
    .orderBy(asc(deliveries.createdAt), asc(deliveries.id))
    .limit(limit);
  const rows = await db
    .update(deliveries)
    .set(freshSchedule(now))
    .where(and(inArray(deliveries.id, batch), eq(deliveries.status, "failed")))
    .returning({ id: deliveries.id });
  return rows.map((r) => r.id);
}

/**
 * Deliveries of the webhook created in [since, until), counted per status: one index range per
 * status on deliveries_webhook_status_created (covering, org included), no table row read.
 */
export async function countDeliveriesByStatus(db: Db, org: string, webhookId: string, window: { since: Date; until: Date }) {
  const rows = await db
    .select({ status: deliveries.status, n: count() })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.webhookId, webhookId),
        inArray(deliveries.status, DELIVERY_STATUSES),
        gte(deliveries.createdAt, window.since),
        lt(deliveries.createdAt, window.until),
        eq(deliveries.org, org),
      ),
    )
    .groupBy(deliveries.status);
  const counts: Record<DeliveryStatus, number> = { pending: 0, succeeded: 0, failed: 0 };
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}
