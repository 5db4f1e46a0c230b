// Table delivery_attempts: the attempt log, and recording one attempt together with what it
// does to its delivery and its webhook's health.
import { and, asc, eq } from "drizzle-orm";
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
