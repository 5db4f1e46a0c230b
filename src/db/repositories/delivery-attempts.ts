// Table delivery_attempts: the attempt log, and recording one attempt together with what it
// does to its delivery and its webhook's health.
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db, Statement } from "../client";
import { type AttemptRow, type DeliveryStatus, deliveries, deliveryAttempts } from "../schema";
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

const isUniqueViolation = (error: unknown): boolean => {
  for (let e = error as { message?: string; cause?: unknown } | undefined, i = 0; e && i < 4; e = e.cause as typeof e, i++) {
    if (/UNIQUE constraint failed|SQLITE_CONSTRAINT/i.test(String(e.message))) return true;
  }
  return false;
};

/**
 * The attempt row, the delivery update and the webhook's health in one D1 batch (one
 * transaction). The attempt's primary key (delivery_id, attempt) rejects a second copy of the
 * same attempt, which rolls the whole batch back: a duplicate message cannot double-count.
 * Returns false for such a duplicate.
 */
export async function recordAttempt(db: Db, record: AttemptRecord): Promise<boolean> {
  const attempt = record.priorAttempts + 1;
  const statements: [Statement, ...Statement[]] = [
    db.insert(deliveryAttempts).values({
      deliveryId: record.deliveryId,
      org: record.org,
      webhookId: record.webhookId,
      attempt,
      statusCode: record.statusCode,
      durationMs: record.durationMs,
      error: record.error,
      responseSnippet: record.responseSnippet,
      at: record.at,
    }),
    db
      .update(deliveries)
      .set({
        attempts: attempt,
        status: record.status,
        lastStatusCode: record.statusCode,
        lastError: record.error,
        nextAttemptAt: record.nextAttemptAt,
        deliveredAt: record.status === "succeeded" ? record.at : null,
        updatedAt: record.at,
      })
      .where(
        and(
          eq(deliveries.id, record.deliveryId),
          eq(deliveries.org, record.org),
          eq(deliveries.attempts, record.priorAttempts),
          eq(deliveries.status, "pending"),
        ),
      ),
    ...webhookHealthStatements(db, record.org, record.webhookId, record.webhook, record.at),
  ];
  try {
    await db.batch(statements);
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
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
