// The one db handle of the tests, and readers of stored rows for assertions.
import { env } from "cloudflare:test";
import { and, asc, eq, getTableColumns, getTableName, is } from "drizzle-orm";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import { createDb } from "../../src/db/client";
import { deliveries, deliveryAttempts, events, webhookEventTypes, webhooks, workflowHistory, workflowStats, workflows } from "../../src/db/schema";
import * as schema from "../../src/db/schema";

export const db = createDb(env.DB);

export const webhookRow = async (id: string) => (await db.select().from(webhooks).where(eq(webhooks.id, id)))[0]!;

export const subscriptionsOf = async (webhookId: string) =>
  (await db.select().from(webhookEventTypes).where(eq(webhookEventTypes.webhookId, webhookId))).map((r) => r.eventType).sort();

export const deliveryRow = async (id: string) => (await db.select().from(deliveries).where(eq(deliveries.id, id)))[0]!;

export const eventRow = async (id: string) => (await db.select().from(events).where(eq(events.id, id)))[0]!;

export const deliveriesOfEvent = (eventId: string) => db.select().from(deliveries).where(eq(deliveries.eventId, eventId));

export const attemptRows = (deliveryId: string) =>
  db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, deliveryId)).orderBy(asc(deliveryAttempts.attempt));

export const eventsOfOrg = (org: string, type?: string) =>
  db
    .select()
    .from(events)
    .where(type ? and(eq(events.org, org), eq(events.type, type)) : eq(events.org, org))
    .orderBy(asc(events.createdAt));

export const workflowRow = (id: string) => db.select().from(workflows).where(eq(workflows.id, id)).get();

export const historyRows = (workflowId: string) =>
  db.select().from(workflowHistory).where(eq(workflowHistory.workflowId, workflowId)).orderBy(asc(workflowHistory.version));

export async function statsOf(org: string) {
  const rows = await db.select().from(workflowStats).where(eq(workflowStats.org, org));
  return Object.fromEntries(rows.map((r) => [r.status, r.count]));
}

/** Everything a workflow change could touch, to assert that a refused change touched nothing. */
export async function workflowSnapshot(org: string, id: string) {
  return { row: await workflowRow(id), history: await historyRows(id), stats: await statsOf(org), events: await eventsOfOrg(org) };
}

// Every table with an `org` column, new ones included without touching this file.
const ORG_TABLES = (Object.values(schema) as unknown[]).filter((t): t is SQLiteTable => is(t, SQLiteTable) && "org" in getTableColumns(t));

/** Every row the org owns, table by table, in a stable order: a refused request must leave this unchanged. */
export async function orgSnapshot(org: string) {
  // One round trip for every table: test/foundation/fuzz.test.ts takes two per request.
  const names = ORG_TABLES.map((table) => getTableName(table));
  const answers = await env.DB.batch(names.map((name) => env.DB.prepare(`SELECT * FROM ${name} WHERE org = ?`).bind(org)));
  return Object.fromEntries(names.map((name, i) => [name, answers[i]!.results.map((row) => JSON.stringify(row)).sort()]));
}
