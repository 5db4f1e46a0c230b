// Table webhooks: the subscriptions' endpoints, their secrets (sealed) and their health. Each
// webhook's subscribed types live in webhook_event_types (webhook-event-types.ts) and are
// written in the same batch as its row.
import { and, eq, inArray, ne, type Placeholder, sql } from "drizzle-orm";
import { listPage, type Page, type PageQuery } from "../../lib/pagination";
import { type Db, isForeignKeyViolation } from "../client";
import { commitCompiled, compiled } from "../compiled";
import { type NewWebhookRow, type WebhookRow, webhooks } from "../schema";
import { failPendingDeliveriesOfWebhook } from "./deliveries";
import { unparkAll } from "./delivery-lines";
import { deleteSubscriptions, inCatalogOrder, insertSubscriptions, receiversOf, replaceSubscriptions, subscriptionsOf } from "./webhook-event-types";

export interface WebhookWithEvents {
  row: WebhookRow;
  events: string[];
}

const byId = (org: string, id: string) => and(eq(webhooks.id, id), eq(webhooks.org, org));

async function withEvents(db: Db, org: string, rows: WebhookRow[]): Promise<WebhookWithEvents[]> {
  const subs = await subscriptionsOf(
    db,
    org,
    rows.map((r) => r.id),
  );
  return rows.map((row) => ({ row, events: subs.get(row.id) ?? [] }));
}

export async function insertWebhook(db: Db, row: NewWebhookRow & { id: string; org: string }, types: string[]): Promise<WebhookWithEvents> {
  const [[inserted]] = await db.batch([db.insert(webhooks).values(row).returning(), insertSubscriptions(db, row.org, row.id, types)]);
  return { row: inserted!, events: inCatalogOrder(types) };
}

export async function findWebhook(db: Db, org: string, id: string): Promise<WebhookWithEvents | undefined> {
  const row = await findWebhookRow(db, org, id);
  return row ? (await withEvents(db, org, [row]))[0] : undefined;
}

/** The row alone, without its subscriptions. */
export async function findWebhookRow(db: Db, org: string, id: string): Promise<WebhookRow | undefined> {
  const [row] = await db.select().from(webhooks).where(byId(org, id));
  return row;
}

export interface WebhookFilter extends PageQuery {
  active?: boolean;
  /** Webhooks that would receive this type: subscribed to it or to "*"; "*" lists only the catch-alls. */
  event?: string;
}

/** Newest first; the `event` filter is driven by the (org, event_type) index, not a scan of every webhook. */
export async function listWebhooks(db: Db, org: string, filter: WebhookFilter): Promise<Page<WebhookWithEvents>> {
  const { data, nextCursor } = await listPage(
    db.select().from(webhooks).$dynamic(),
    webhooks,
    [
      eq(webhooks.org, org),
      filter.active === undefined ? undefined : eq(webhooks.active, filter.active),
      filter.event ? inArray(webhooks.id, receiversOf(db, org, filter.event)) : undefined,
    ],
    filter,
  );
  return { data: await withEvents(db, org, data), nextCursor };
}

/**
 * Applies `changes` and, when `types` is given, replaces the subscriptions, in one batch.
 * `ordered: false` also un-parks the deliveries waiting in the webhook's line (the cron sweep
 * then sends them) in the same batch, so no failure in between can leave the webhook unordered
 * with deliveries still parked. Undefined when the webhook is not in this org (or a concurrent
 * DELETE won).
 */
export async function updateWebhook(
  db: Db,
  org: string,
  id: string,
  changes: Partial<Omit<NewWebhookRow, "id" | "org" | "createdAt">> & { updatedAt: Date },
  types?: string[],
): Promise<WebhookWithEvents | undefined> {
  const update = db.update(webhooks).set(changes).where(byId(org, id)).returning();
  let row: WebhookRow | undefined;
  try {
    // The un-park touches only this org's parked deliveries of this webhook id. A webhook that is
    // gone has none (deleteWebhook fails its pending ones in its own batch): nothing is written.
    [[row]] = await db.batch([
      update,
      ...(types ? replaceSubscriptions(db, org, id, types) : []),
      ...(changes.ordered === false ? [unparkAll(db, org, id, changes.updatedAt)] : []),
    ]);
  } catch (error) {
    // A concurrent DELETE won: the new subscription rows have no webhook to belong to.
    if (isForeignKeyViolation(error)) return undefined;
    throw error;
  }
  return row ? (await withEvents(db, org, [row]))[0] : undefined;
}

/** Deletes the webhook and its subscriptions and stops its pending deliveries, in one batch. */
export async function deleteWebhook(db: Db, org: string, id: string, now: Date): Promise<boolean> {
  const [, , deleted] = await db.batch([
    failPendingDeliveriesOfWebhook(db, org, id, now),
    deleteSubscriptions(db, org, id),
    db.delete(webhooks).where(byId(org, id)).returning({ id: webhooks.id }),
  ]);
  return deleted.length > 0;
}

/** What an ended or failed delivery does to its webhook's health. */
export type WebhookEffect = { kind: "none" } | { kind: "success" } | { kind: "failure"; disableAfter: number } | { kind: "gone"; reason: string };

/**
 * The shapes moving a webhook's failure counter, compiled once (db/compiled.ts: they are on the
 * consumer's hot path). `chained`: the attempt batch runs them only if the statement before
 * them changed a row (delivery-attempts.ts).
 */
function healthShapes(chained: boolean) {
  const target = (p: (name: "org" | "id") => Placeholder) =>
    and(eq(webhooks.id, p("id")), eq(webhooks.org, p("org")), chained ? sql`changes() = 1` : undefined);
  // SET expressions see the row as it was, so `+ 1` appears in each test of the threshold.
  const reached = (p: (name: "disableAfter") => Placeholder) => sql`${webhooks.consecutiveFailures} + 1 >= ${p("disableAfter")}`;
  return {
    success: compiled<"org" | "id">((db, p) =>
      db
        .update(webhooks)
        .set({ consecutiveFailures: 0 })
        .where(and(target(p), ne(webhooks.consecutiveFailures, 0))),
    ),
    gone: compiled<"org" | "id" | "reason" | "now">((db, p) =>
      db
        .update(webhooks)
        .set({
          active: false,
          disabledReason: sql`${p("reason")}`,
          consecutiveFailures: sql`${webhooks.consecutiveFailures} + 1`,
          updatedAt: sql`${p("now")}`,
        })
        .where(target(p)),
    ),
    failure: compiled<"org" | "id" | "disableAfter" | "reason" | "now">((db, p) =>
      db
        .update(webhooks)
        .set({
          consecutiveFailures: sql`${webhooks.consecutiveFailures} + 1`,
          disabledReason: sql`CASE WHEN ${reached(p)} AND ${webhooks.active} = 1 THEN ${p("reason")} ELSE ${webhooks.disabledReason} END`,
          updatedAt: sql`CASE WHEN ${reached(p)} AND ${webhooks.active} = 1 THEN ${p("now")} ELSE ${webhooks.updatedAt} END`,
          active: sql`CASE WHEN ${reached(p)} THEN 0 ELSE ${webhooks.active} END`,
        })
        .where(target(p)),
    ),
  };
}
const HEALTH = { alone: healthShapes(false), chained: healthShapes(true) };

/**
 * Statements moving a webhook's failure counter; reaching `disableAfter` disables it.
 * `chained`: each runs only if the statement before it changed a row (the attempt batch).
 */
export function webhookHealthStatements(
  db: Db,
  org: string,
  webhookId: string,
  effect: WebhookEffect,
  now: Date,
  chained = false,
): D1PreparedStatement[] {
  const shapes = chained ? HEALTH.chained : HEALTH.alone;
  switch (effect.kind) {
    case "none":
      return [];
    case "success":
      return [shapes.success(db, { org, id: webhookId })];
    case "gone":
      return [shapes.gone(db, { org, id: webhookId, reason: effect.reason, now: now.getTime() })];
    case "failure": {
      const reason = `disabled after ${effect.disableAfter} consecutive failed deliveries`;
      return [shapes.failure(db, { org, id: webhookId, disableAfter: effect.disableAfter, reason, now: now.getTime() })];
    }
  }
}

/** Runs health statements on their own (after a delivery ended outside recordAttempt). */
export async function applyWebhookHealth(db: Db, org: string, webhookId: string, effect: WebhookEffect, now: Date): Promise<void> {
  await commitCompiled(db, webhookHealthStatements(db, org, webhookId, effect, now));
}
