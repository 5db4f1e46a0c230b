// Fixtures for the webhook, delivery and event API tests: webhooks made through the API,
// delivery and attempt rows written straight to D1 (so no test depends on a real delivery).
import { env } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { expect } from "vitest";
import { createDb } from "../../src/db/client";
import { deliveries, deliveryAttempts, events, webhookEventTypes, webhooks } from "../../src/db/schema";
import type { client } from "../helpers";

export type Client = Awaited<ReturnType<typeof client>>;
export const db = createDb(env.DB);

export const HOOK_URL = "https://receiver.example/hook";

export async function createWebhook(admin: Client, body: Record<string, unknown> = {}) {
  const res = await admin.post("/api/v1/webhooks", { url: HOOK_URL, events: ["*"], ...body });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; secret: string; events: string[]; [k: string]: unknown };
}

export const webhookRow = async (id: string) => (await db.select().from(webhooks).where(eq(webhooks.id, id)))[0];

export const subscriptionsOf = async (id: string) =>
  (await db.select().from(webhookEventTypes).where(eq(webhookEventTypes.webhookId, id))).map((r) => r.eventType).sort();

export const deliveriesOfEvent = (eventId: string) => db.select().from(deliveries).where(eq(deliveries.eventId, eventId));

export const eventsOfOrg = (org: string) => db.select().from(events).where(eq(events.org, org));

export const deliveryRow = async (id: string) => (await db.select().from(deliveries).where(eq(deliveries.id, id)))[0];

let seq = 0;
/** A delivery row (and its event) written directly, in a state the test chooses. */
export async function insertDelivery(org: string, webhookId: string, fields: Partial<typeof deliveries.$inferInsert> = {}) {
  const at = new Date(Date.UTC(2026, 0, 1) + ++seq * 1000);
  const eventId = `evt_fixture${crypto.randomUUID().slice(0, 8)}`;
  const id = `msg_fixture${crypto.randomUUID().slice(0, 8)}`;
  await db.batch([
    db.insert(events).values({ id: eventId, org, type: "patient.created", data: { patientId: "p1" }, createdAt: at }),
    db.insert(deliveries).values({
      id,
      org,
      webhookId,
      eventId,
      eventType: "patient.created",
      status: "pending",
      createdAt: at,
      updatedAt: at,
      ...fields,
    }),
  ]);
  return { id, eventId };
}

export async function insertAttempt(org: string, deliveryId: string, attempt: number, fields: Partial<typeof deliveryAttempts.$inferInsert> = {}) {
  await db.insert(deliveryAttempts).values({
    deliveryId,
    org,
    attempt,
    statusCode: 500,
    durationMs: 12,
    error: null,
    responseSnippet: "oops",
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, attempt)),
    ...fields,
  });
}

export const attemptsOf = (org: string, deliveryId: string) =>
  db
    .select()
    .from(deliveryAttempts)
    .where(and(eq(deliveryAttempts.deliveryId, deliveryId), eq(deliveryAttempts.org, org)));
