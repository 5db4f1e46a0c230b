// Table webhook_event_types: one row per (webhook, subscribed type), "*" stored as a type of its
// own, written in the same batch as its webhook row so the two never disagree. Finding the
// subscribers of an event is an index lookup on (org, event_type), flat in the number of webhooks.
import { and, eq, inArray } from "drizzle-orm";
import { EVENT_TYPES, WILDCARD } from "../../events/catalog";
import { RESOURCE_WILDCARDS, subscriptionKeysFor } from "../../events/topics";
import { chunks, type Db, type Statement } from "../client";
import { webhookEventTypes, webhooks } from "../schema";

// "*" first, then resource wildcards, then catalog order: a stable, readable `events` array
// whatever order was sent.
const ORDER = new Map<string, number>([WILDCARD, ...RESOURCE_WILDCARDS, ...EVENT_TYPES].map((type, i) => [type, i]));
export const inCatalogOrder = (types: Iterable<string>) =>
  [...new Set(types)].sort((a, b) => (ORDER.get(a) ?? ORDER.size) - (ORDER.get(b) ?? ORDER.size));

export const insertSubscriptions = (db: Db, org: string, webhookId: string, types: string[]) =>
  db.insert(webhookEventTypes).values(inCatalogOrder(types).map((eventType) => ({ webhookId, org, eventType })));

export const deleteSubscriptions = (db: Db, org: string, webhookId: string) =>
  db.delete(webhookEventTypes).where(and(eq(webhookEventTypes.webhookId, webhookId), eq(webhookEventTypes.org, org)));

/** Statements replacing a webhook's subscriptions with `types`. */
export const replaceSubscriptions = (db: Db, org: string, webhookId: string, types: string[]): Statement[] => [
  deleteSubscriptions(db, org, webhookId),
  insertSubscriptions(db, org, webhookId, types),
];

/** Subscribed types per webhook id, in catalog order. */
export async function subscriptionsOf(db: Db, org: string, webhookIds: string[]): Promise<Map<string, string[]>> {
  const byWebhook = new Map<string, string[]>(webhookIds.map((id) => [id, []]));
  for (const ids of chunks(webhookIds)) {
    const rows = await db
      .select({ webhookId: webhookEventTypes.webhookId, eventType: webhookEventTypes.eventType })
      .from(webhookEventTypes)
      .where(and(eq(webhookEventTypes.org, org), inArray(webhookEventTypes.webhookId, ids)));
    for (const r of rows) byWebhook.get(r.webhookId)?.push(r.eventType);
  }
  for (const [id, types] of byWebhook) byWebhook.set(id, inCatalogOrder(types));
  return byWebhook;
}

/**
 * Subquery: ids of the org's webhooks that receive `type` (subscribed to it, its `resource.*`
 * or "*"), filters aside; `type` "*" gives only the catch-all subscribers.
 */
export const receiversOf = (db: Db, org: string, type: string) =>
  db
    .select({ id: webhookEventTypes.webhookId })
    .from(webhookEventTypes)
    .where(and(eq(webhookEventTypes.org, org), inArray(webhookEventTypes.eventType, type === WILDCARD ? [WILDCARD] : subscriptionKeysFor(type))));

export interface Subscriber {
  id: string;
  filter: Record<string, unknown> | null;
}

/**
 * Active webhooks of the org subscribed to `type`, its `resource.*` or "*", with their payload
 * filters: one index lookup on (org, event_type) for the three keys, then the webhooks by id.
 * Publishing and workflow changes keep these per isolate (webhooks/subscribers.ts).
 */
export async function findSubscribers(db: Db, org: string, type: string): Promise<Subscriber[]> {
  return subscribersByType([type], await subscriberRows(db, org, [type])).get(type) ?? [];
}

/** The active subscribers of several types in one query (rows per subscription key; subscribersByType groups them). */
export const subscriberRows = (db: Db, org: string, types: readonly string[]) =>
  db
    .select({ id: webhooks.id, filter: webhooks.filter, key: webhookEventTypes.eventType })
    .from(webhookEventTypes)
    .innerJoin(webhooks, and(eq(webhooks.id, webhookEventTypes.webhookId), eq(webhooks.org, webhookEventTypes.org)))
    .where(
      and(
        eq(webhookEventTypes.org, org),
        inArray(webhookEventTypes.eventType, [...new Set(types.flatMap(subscriptionKeysFor))]),
        eq(webhooks.active, true),
      ),
    );

/** subscriberRows' rows as each type's distinct subscribers. */
export function subscribersByType(types: readonly string[], rows: readonly { id: string; filter: Subscriber["filter"]; key: string }[]) {
  const byType = new Map<string, Subscriber[]>();
  for (const type of types) {
    const wanted = subscriptionKeysFor(type);
    const seen = new Map<string, Subscriber>();
    for (const row of rows) if (wanted.includes(row.key) && !seen.has(row.id)) seen.set(row.id, { id: row.id, filter: row.filter });
    byType.set(type, [...seen.values()]);
  }
  return byType;
}
