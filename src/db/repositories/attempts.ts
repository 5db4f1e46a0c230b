// Queries of the delivery consumer: load what one message needs, record one attempt.
import { and, eq, ne, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../client";
import { deliveries, deliveryAttempts, events, webhooks, type DeliveryStatus } from "../schema";

/** The delivery with its webhook and event; either is null once deleted or purged. */
export async function loadDeliveryContext(db: Db, org: string, deliveryId: string) {
  const [row] = await db
    .select({ delivery: deliveries, webhook: webhooks, event: events })
    .from(deliveries)
    .leftJoin(webhooks, and(eq(webhooks.id, deliveries.webhookId), eq(webhooks.org, deliveries.org)))
    .leftJoin(events, and(eq(events.id, deliveries.eventId), eq(events.org, deliveries.org)))
    .where(and(eq(deliveries.id, deliveryId), eq(deliveries.org, org)));
  return row;
}

export type DeliveryContext = NonNullable<Awaited<ReturnType<typeof loadDeliveryContext>>>;
export type LoadedWebhook = NonNullable<DeliveryContext["webhook"]>;

/** What an ended or failed delivery does to its webhook's health. */
export type WebhookEffect =
  | { kind: "none" }
  | { kind: "success" }
  | { kind: "failure"; disableAfter: number }
  | { kind: "gone"; reason: string };

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

/** Statements moving a webhook's failure counter; reaching `disableAfter` disables it. */
export function webhookHealthStatements(db: Db, webhookId: string, effect: WebhookEffect, now: Date): BatchItem<"sqlite">[] {
  const target = eq(webhooks.id, webhookId);
  switch (effect.kind) {
    case "none":
      return [];
    case "success":
      return [db.update(webhooks).set({ consecutiveFailures: 0 }).where(and(target, ne(webhooks.consecutiveFailures, 0)))];
    case "gone":
      return [
        db
          .update(webhooks)
          .set({ active: false, disabledReason: effect.reason, consecutiveFailures: sql`${webhooks.consecutiveFailures} + 1`, updatedAt: now })
          .where(target),
      ];
    case "failure": {
      // SET expressions see the row as it was, so `+ 1` appears in each test of the threshold.
      const reached = sql`${webhooks.consecutiveFailures} + 1 >= ${effect.disableAfter}`;
      const reason = `disabled after ${effect.disableAfter} consecutive failed deliveries`;
      return [
        db
          .update(webhooks)
          .set({
            consecutiveFailures: sql`${webhooks.consecutiveFailures} + 1`,
            disabledReason: sql`CASE WHEN ${reached} AND ${webhooks.active} = 1 THEN ${reason} ELSE ${webhooks.disabledReason} END`,
            updatedAt: sql`CASE WHEN ${reached} AND ${webhooks.active} = 1 THEN ${now.getTime()} ELSE ${webhooks.updatedAt} END`,
            active: sql`CASE WHEN ${reached} THEN 0 ELSE ${webhooks.active} END`,
          })
          .where(target),
      ];
    }
  }
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
  const statements: [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]] = [
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
      .where(and(eq(deliveries.id, record.deliveryId), eq(deliveries.attempts, record.priorAttempts), eq(deliveries.status, "pending"))),
    ...webhookHealthStatements(db, record.webhookId, record.webhook, record.at),
  ];
  try {
    await db.batch(statements);
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Ends a still-pending delivery as failed without an attempt; false when it was no longer pending. */
export async function failPendingDelivery(db: Db, org: string, deliveryId: string, error: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(deliveries)
    .set({ status: "failed", lastError: error, nextAttemptAt: null, updatedAt: now })
    .where(and(eq(deliveries.id, deliveryId), eq(deliveries.org, org), eq(deliveries.status, "pending")))
    .returning({ id: deliveries.id });
  return rows.length > 0;
}

/** Runs health statements on their own (after a delivery ended outside recordAttempt). */
export async function applyWebhookHealth(db: Db, webhookId: string, effect: WebhookEffect, now: Date): Promise<void> {
  const [first, ...rest] = webhookHealthStatements(db, webhookId, effect, now);
  if (first) await db.batch([first, ...rest]);
}
