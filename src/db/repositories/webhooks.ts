// Webhooks and their subscriptions. `webhook_event_types` holds one row per subscribed type
// ("*" included) and is written in the same db.batch as the webhook row, so the two never
// disagree; the subscriber lookup of publish reads only that index.
import { and, eq, inArray, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { webhookEventTypes, webhooks } from "../schema";
import { failPendingDeliveries } from "./deliveries";
import { EVENT_TYPES, WILDCARD } from "../../events/catalog";
import { RESOURCE_WILDCARDS, subscriptionKeysFor } from "../../events/topics";
import { afterCursor, newestFirst, page } from "../../lib/pagination";

export type WebhookRow = typeof webhooks.$inferSelect;
export type NewWebhookRow = typeof webhooks.$inferInsert;
export interface WebhookWithEvents {
  row: WebhookRow;
  events: string[];
}

// "*" first, then resource wildcards, then catalog order: a stable, readable `events` array
// whatever order was sent.
const ORDER = new Map<string, number>([WILDCARD, ...RESOURCE_WILDCARDS, ...EVENT_TYPES].map((type, i) => [type, i]));
const inCatalogOrder = (types: Iterable<string>) =>
  [...new Set(types)].sort((a, b) => (ORDER.get(a) ?? ORDER.size) - (ORDER.get(b) ?? ORDER.size));

const subscriptionRows = (org: string, webhookId: string, types: string[]) =>
  inCatalogOrder(types).map((eventType) => ({ webhookId, org, eventType }));

export async function insertWebhook(db: Db, row: NewWebhookRow & { id: string }, types: string[]) {
  const [[inserted]] = await db.batch([
    db.insert(webhooks).values(row).returning(),
    db.insert(webhookEventTypes).values(subscriptionRows(row.org, row.id, types)),
  ]);
  return { row: inserted!, events: inCatalogOrder(types) };
}

/** Subscribed types per webhook id. Chunked: D1 binds at most 100 parameters a statement. */
async function subscriptionsOf(db: Db, ids: string[]) {
  const byWebhook = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await db
      .select({ webhookId: webhookEventTypes.webhookId, eventType: webhookEventTypes.eventType })
      .from(webhookEventTypes)
      .where(inArray(webhookEventTypes.webhookId, ids.slice(i, i + 90)));
    for (const r of rows) byWebhook.get(r.webhookId)?.push(r.eventType);
  }
  return byWebhook;
}

const withEvents = async (db: Db, rows: WebhookRow[]): Promise<WebhookWithEvents[]> => {
  const subs = await subscriptionsOf(db, rows.map((r) => r.id));
  return rows.map((row) => ({ row, events: inCatalogOrder(subs.get(row.id) ?? []) }));
};

export async function findWebhook(db: Db, org: string, id: string): Promise<WebhookWithEvents | undefined> {
  const [row] = await db.select().from(webhooks).where(and(eq(webhooks.id, id), eq(webhooks.org, org)));
  return row ? (await withEvents(db, [row]))[0] : undefined;
}

/**
 * Newest first. `event` lists the webhooks that would receive that type, i.e. subscribed to
 * it, to its `resource.*` or to "*" (what an operator asks: "who gets invoice.paid?"), filters
 * aside; `event=*` lists only the
 * catch-all subscribers. The filter is driven by the (org, event_type) index, not by a scan
 * of every webhook.
 */
export async function listWebhooks(
  db: Db,
  org: string,
  query: { active?: boolean; event?: string; limit: number; cursor?: string },
) {
  const subscribed = query.event
    ? db
        .select({ id: webhookEventTypes.webhookId })
        .from(webhookEventTypes)
        .where(and(eq(webhookEventTypes.org, org), inArray(webhookEventTypes.eventType, query.event === WILDCARD ? [WILDCARD] : subscriptionKeysFor(query.event))))
    : undefined;
  const conditions: (SQL | undefined)[] = [
    eq(webhooks.org, org),
    query.active === undefined ? undefined : eq(webhooks.active, query.active),
    subscribed ? inArray(webhooks.id, subscribed) : undefined,
    afterCursor(query.cursor, webhooks),
  ];
  const rows = await db
    .select()
    .from(webhooks)
    .where(and(...conditions))
    .orderBy(...newestFirst(webhooks))
    .limit(query.limit + 1);
  const { data, nextCursor } = page(rows, query.limit);
  return { data: await withEvents(db, data), nextCursor };
}

/**
 * Applies `changes` and, when `types` is given, replaces the subscriptions, in one batch.
 * The caller has found the webhook in this org first (404 otherwise). Should a concurrent
 * DELETE win the race, the re-inserted subscription rows point at no webhook: harmless, as
 * every reader joins them to `webhooks`.
 */
export async function updateWebhook(
  db: Db,
  org: string,
  id: string,
  changes: Partial<Omit<NewWebhookRow, "id" | "org" | "createdAt">> & { updatedAt: Date },
  types?: string[],
): Promise<WebhookWithEvents | undefined> {
  const update = db.update(webhooks).set(changes).where(and(eq(webhooks.id, id), eq(webhooks.org, org))).returning();
  const resubscribe = types
    ? ([
        db.delete(webhookEventTypes).where(and(eq(webhookEventTypes.webhookId, id), eq(webhookEventTypes.org, org))),
        db.insert(webhookEventTypes).values(subscriptionRows(org, id, types)),
      ] as const)
    : ([] as const);
  const [[row]] = await db.batch([update, ...resubscribe]);
  return row ? (await withEvents(db, [row]))[0] : undefined;
}

/** Deletes the webhook and its subscriptions and stops its pending deliveries, in one batch. */
export async function deleteWebhook(db: Db, org: string, id: string, now: Date): Promise<boolean> {
  const [, , deleted] = await db.batch([
    failPendingDeliveries(db, org, id, now),
    db.delete(webhookEventTypes).where(and(eq(webhookEventTypes.webhookId, id), eq(webhookEventTypes.org, org))),
    db.delete(webhooks).where(and(eq(webhooks.id, id), eq(webhooks.org, org))).returning({ id: webhooks.id }),
  ]);
  return deleted.length > 0;
}
