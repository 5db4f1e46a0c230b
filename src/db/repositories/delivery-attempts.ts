// Table delivery_attempts: the attempt log, and recording one attempt together with what it
// does to its delivery and its webhook's health.
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { commitCompiled, compiled } from "../compiled";
import { type AttemptRow, type DeliveryStatus, deliveries, deliveryAttempts } from "../schema";
import { endPendingDelivery } from "./deliveries";
import { type WebhookEffect, webhookHealthStatements } from "./webhooks";

/** The attempt log, oldest first (the primary key orders it). */
export const listAttempts = (db: Db, org: string, deliveryId: string): Promise<AttemptRow[]> =>
  db
    .select()
    .from(deliveryAttempts)
    .where(and(eq(deliveryAttempts.deliveryId, deliveryId), eq(deliveryAttempts.org, org)))
    .orderBy(asc(deliveryAttempts.attempt));

export interface AttemptRecord {
  org: string;
  deliveryId: string;
  webhookId: string;
  /** `attempts` as loaded: the guard that makes a duplicate message unable to count twice. */
  priorAttempts: number;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseSnippet: string | null;
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  at: Date;
  webhook: WebhookEffect;
}

// The shapes of an attempt's first two statements, compiled once (db/compiled.ts).
const insertAttempt = compiled<"deliveryId" | "org" | "webhookId" | "attempt" | "statusCode" | "durationMs" | "error" | "responseSnippet" | "at">(
  (db, p) =>
    db
      .insert(deliveryAttempts)
      .values({
        deliveryId: sql`${p("deliveryId")}`,
        org: sql`${p("org")}`,
        webhookId: sql`${p("webhookId")}`,
        attempt: sql`${p("attempt")}`,
        statusCode: sql`${p("statusCode")}`,
        durationMs: sql`${p("durationMs")}`,
        error: sql`${p("error")}`,
        responseSnippet: sql`${p("responseSnippet")}`,
        at: sql`${p("at")}`,
      })
      .onConflictDoNothing(),
);
const updateDelivery = compiled<"id" | "org" | "prior" | "attempts" | "status" | "statusCode" | "error" | "next" | "deliveredAt" | "at">((db, p) =>
  db
    .update(deliveries)
    .set({
      attempts: sql`${p("attempts")}`,
      status: sql`${p("status")}`,
      lastStatusCode: sql`${p("statusCode")}`,
      lastError: sql`${p("error")}`,
      nextAttemptAt: sql`${p("next")}`,
      deliveredAt: sql`${p("deliveredAt")}`,
      updatedAt: sql`${p("at")}`,
      // A message got through: the sweep's re-enqueue backoff starts again (deliveries.ts).
      requeues: 0,
    })
    .where(
      and(
        eq(deliveries.id, p("id")),
        eq(deliveries.org, p("org")),
        eq(deliveries.attempts, p("prior")),
        eq(deliveries.status, "pending"),
        sql`changes() = 1`,
      ),
    ),
);

/**
 * The statements recording one attempt, chained so that each runs only if the one before it
 * changed a row (`changes()` still reports the previous statement while the next one runs,
 * and a D1 batch runs its statements in order in one transaction):
 *   1. the attempt row, skipped if that attempt number is already logged (its primary key);
 *   2. the delivery's update, guarded by the attempt count it was loaded with and `pending`;
 *   3. the webhook's health.
 * So a duplicate message changes nothing and fails nothing: in a batch of attempts it cannot
 * roll back the others. The first statement's change count says whether it was recorded.
 */
export function attemptStatements(db: Db, record: AttemptRecord): [D1PreparedStatement, ...D1PreparedStatement[]] {
  const attempt = record.priorAttempts + 1;
  const at = record.at.getTime();
  return [
    insertAttempt(db, {
      deliveryId: record.deliveryId,
      org: record.org,
      webhookId: record.webhookId,
      attempt,
      statusCode: record.statusCode,
      durationMs: record.durationMs,
      error: record.error,
      responseSnippet: record.responseSnippet,
      at,
    }),
    updateDelivery(db, {
      id: record.deliveryId,
      org: record.org,
      prior: record.priorAttempts,
      attempts: attempt,
      status: record.status,
      statusCode: record.statusCode,
      error: record.error,
      next: record.nextAttemptAt?.getTime() ?? null,
      deliveredAt: record.status === "succeeded" ? at : null,
      at,
    }),
    ...webhookHealthStatements(db, record.org, record.webhookId, record.webhook, record.at, true),
  ];
}

/**
 * Records a batch's attempts, plus any `alongside` statements, in one D1 batch (one round
 * trip, one transaction). Returns, per record, whether it was recorded (false: a duplicate).
 */
export async function recordAttempts(db: Db, records: readonly AttemptRecord[], alongside: readonly D1PreparedStatement[] = []): Promise<boolean[]> {
  const groups = records.map((record) => attemptStatements(db, record));
  const results = await commitCompiled(db, [...alongside, ...groups.flat()]);
  let index = alongside.length;
  return groups.map((group) => {
    const inserted = results[index]?.meta.changes === 1;
    index += group.length;
    return inserted;
  });
}

/** One attempt on its own; false for a duplicate. */
export async function recordAttempt(db: Db, record: AttemptRecord): Promise<boolean> {
  const [recorded] = await recordAttempts(db, [record]);
  return recorded === true;
}

export interface AttemptSummary {
  attempts: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
}

/**
 * Latency percentiles (nearest rank over attempt durations) and the last success and failure
 * of the webhook's attempts in [since, until), in one pass: one range of the covering index
 * delivery_attempts_webhook_at (never a table row, however many attempts the table holds),
 * ranked by duration, folded into one row.
 */
export async function summarizeAttempts(db: Db, org: string, webhookId: string, window: { since: Date; until: Date }): Promise<AttemptSummary> {
  const t = deliveryAttempts;
  const ok = sql`s BETWEEN 200 AND 299`;
  const rank = (p: number) => sql`max(CASE WHEN rn = (${sql.raw(String(p))} * n + 99) / 100 THEN d END)`;
  const row = await db.get<{
    attempts: number;
    p50: number | null;
    p95: number | null;
    p99: number | null;
    lastOk: number | null;
    lastFail: number | null;
  }>(sql`
    WITH ranked AS (
      SELECT ${t.durationMs} AS d, ${t.statusCode} AS s, ${t.at} AS at,
        row_number() OVER (ORDER BY ${t.durationMs}) AS rn, count(*) OVER () AS n
      FROM ${t}
      WHERE ${t.webhookId} = ${webhookId} AND ${t.at} >= ${window.since.getTime()} AND ${t.at} < ${window.until.getTime()} AND ${t.org} = ${org}
    )
    SELECT count(*) AS attempts, ${rank(50)} AS p50, ${rank(95)} AS p95, ${rank(99)} AS p99,
      max(CASE WHEN ${ok} THEN at END) AS lastOk, max(CASE WHEN s IS NULL OR NOT (${ok}) THEN at END) AS lastFail
    FROM ranked`);
  const date = (ms: number | null | undefined) => (ms == null ? null : new Date(ms));
  return {
    attempts: row?.attempts ?? 0,
    p50: row?.p50 ?? null,
    p95: row?.p95 ?? null,
    p99: row?.p99 ?? null,
    lastSuccessAt: date(row?.lastOk),
    lastFailureAt: date(row?.lastFail),
  };
}

/**
 * A dead letter's outcome, the one ending without an attempt that still counts as a failure:
 * the still-pending delivery ends failed and its webhook's failure counter moves, in one D1
 * batch, chained like an attempt's statements. So a repeated dead letter counts nothing, and a
 * failed write leaves both undone for the message's retry (two separate writes could end the
 * delivery and lose the count). Returns whether this call ended it.
 */
export async function endDeadLettered(
  db: Db,
  delivery: { org: string; id: string; webhookId: string | undefined },
  error: string,
  disableAfter: number,
  now: Date,
): Promise<boolean> {
  const { org, id, webhookId } = delivery;
  const health = webhookId ? webhookHealthStatements(db, org, webhookId, { kind: "failure", disableAfter }, now, true) : [];
  const [ended] = await commitCompiled(db, [endPendingDelivery(db, org, id, error, now), ...health]);
  return (ended?.meta.changes ?? 0) > 0;
}
