import { and, eq, getTableColumns, inArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../client";
import { deliveries, events, webhookEventTypes, webhooks } from "../schema";
import { subscriptionKeysFor } from "../../events/topics";

// D1 binds at most 100 parameters per statement; a delivery row binds one per column.
const DELIVERY_ROWS_PER_INSERT = Math.floor(100 / Object.keys(getTableColumns(deliveries)).length);

export interface Subscriber {
  id: string;
  filter: Record<string, unknown> | null;
}

/**
 * Active webhooks of the org subscribed to `type`, its `resource.*` or "*", with their payload
 * filters: one index lookup on (org, event_type) for the three keys, then the webhooks by id.
 */
export async function findSubscribers(db: Db, org: string, type: string): Promise<Subscriber[]> {
  return db
    .selectDistinct({ id: webhooks.id, filter: webhooks.filter })
    .from(webhookEventTypes)
    .innerJoin(webhooks, eq(webhooks.id, webhookEventTypes.webhookId))
    .where(
      and(
        eq(webhookEventTypes.org, org),
        inArray(webhookEventTypes.eventType, subscriptionKeysFor(type)),
        eq(webhooks.active, true),
      ),
    );
}

export interface NewEvent {
  id: string;
  org: string;
  type: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

/** Statements inserting the event and one pending delivery per webhook, chunked under D1's limit. */
export function insertEventWithDeliveries(
  db: Db,
  event: NewEvent,
  targets: { deliveryId: string; webhookId: string }[],
): BatchItem<"sqlite">[] {
  const statements: BatchItem<"sqlite">[] = [db.insert(events).values(event)];
  const rows = targets.map((t) => ({
    id: t.deliveryId,
    org: event.org,
    webhookId: t.webhookId,
    eventId: event.id,
    eventType: event.type,
    status: "pending" as const,
    nextAttemptAt: event.createdAt,
    createdAt: event.createdAt,
    updatedAt: event.createdAt,
  }));
  for (let i = 0; i < rows.length; i += DELIVERY_ROWS_PER_INSERT) {
    statements.push(db.insert(deliveries).values(rows.slice(i, i + DELIVERY_ROWS_PER_INSERT)));
  }
  return statements;
}
