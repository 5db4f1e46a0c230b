// Rows written straight into D1, in a state the test chooses, so a test of one module does not
// depend on another module's routes. seedWorkflow goes through the real createWorkflow (the
// workflow row, history, counters and event must agree) without HTTP.
import { env } from "cloudflare:test";
import { encryptSecret, generateWebhookSecret } from "../../src/crypto/secrets";
import { deliveries, deliveryAttempts, events, type NewDeliveryRow, webhookEventTypes, webhooks } from "../../src/db/schema";
import type { Role } from "../../src/auth/roles";
import { newId } from "../../src/lib/ids";
import type { CreateWorkflowInput } from "../../src/schemas/workflows";
import { createWorkflow } from "../../src/workflows/create";
import { uniqueOrg } from "./api";
import { db } from "./db";

/** The fixed "now" of the queue-consumer and sweep tests. */
export const NOW = new Date("2026-11-28T12:00:00.000Z");

export interface SeedWebhookOptions {
  types?: string[];
  url?: string;
  active?: boolean;
  headers?: Record<string, string>;
  consecutiveFailures?: number;
  /** A previous secret and when its grace ends. */
  previous?: { secret: string; expiresAt: Date };
}

/** A webhook and its subscriptions, with a real sealed secret so deliveries to it can be signed. */
export async function seedWebhook(org: string, options: SeedWebhookOptions = {}) {
  const id = newId("wh");
  const secret = generateWebhookSecret();
  const aad = `${org}:${id}`;
  const createdAt = new Date(NOW.getTime() - 120_000);
  await db.batch([
    db.insert(webhooks).values({
      id,
      org,
      url: options.url ?? "https://receiver.example.com/hooks",
      active: options.active ?? true,
      headers: options.headers ?? {},
      secretEnc: await encryptSecret(env.SECRET_ENCRYPTION_KEY, secret, aad),
      previousSecretEnc: options.previous ? await encryptSecret(env.SECRET_ENCRYPTION_KEY, options.previous.secret, aad) : null,
      previousSecretExpiresAt: options.previous?.expiresAt ?? null,
      consecutiveFailures: options.consecutiveFailures ?? 0,
      createdAt,
      updatedAt: createdAt,
    }),
    db.insert(webhookEventTypes).values((options.types ?? ["*"]).map((eventType) => ({ webhookId: id, org, eventType }))),
  ]);
  return { id, secret };
}

export type SeedDeliveryOptions = SeedWebhookOptions &
  Partial<Omit<NewDeliveryRow, "id" | "org" | "webhookId" | "eventId" | "eventType">> & {
    /** Defaults to a fresh org. */
    org?: string;
    /** Deliver to this existing webhook instead of seeding one. */
    webhookId?: string;
    /** Point at a webhook id that has no row, as after a DELETE. */
    withoutWebhook?: boolean;
  };

// Each seeded delivery is a millisecond newer than the last, so newest-first lists have an order.
let seq = 0;

export interface SeededDelivery {
  org: string;
  webhookId: string;
  eventId: string;
  deliveryId: string;
  /** The webhook's signing secret when this call seeded the webhook. */
  secret?: string;
  eventCreatedAt: Date;
  message: { v: 1; deliveryId: string; org: string };
}

/** A patient.created event and its delivery (pending unless told otherwise), and the queue message naming it. */
export function seedDelivery(
  options?: SeedDeliveryOptions & { webhookId?: undefined; withoutWebhook?: false },
): Promise<SeededDelivery & { secret: string }>;
export function seedDelivery(options: SeedDeliveryOptions): Promise<SeededDelivery>;
export async function seedDelivery(options: SeedDeliveryOptions = {}): Promise<SeededDelivery> {
  const {
    org = uniqueOrg("dlv"),
    webhookId: existing,
    withoutWebhook,
    types,
    url,
    active,
    headers,
    consecutiveFailures,
    previous,
    ...fields
  } = options;
  const webhook = existing
    ? { id: existing, secret: undefined }
    : withoutWebhook
      ? { id: newId("wh"), secret: undefined }
      : await seedWebhook(org, { types, url, active, headers, consecutiveFailures, previous });
  const eventId = newId("evt");
  const deliveryId = newId("msg");
  const createdAt = new Date(NOW.getTime() - 60_000 + ++seq);
  await db.batch([
    db.insert(events).values({ id: eventId, org, type: "patient.created", data: { patientId: "pat_1", name: "Rex" }, createdAt }),
    db.insert(deliveries).values({
      id: deliveryId,
      org,
      webhookId: webhook.id,
      eventId,
      eventType: "patient.created",
      status: "pending",
      // A finished delivery has no next attempt.
      nextAttemptAt: (fields.status ?? "pending") === "pending" ? createdAt : null,
      createdAt,
      updatedAt: createdAt,
      ...fields,
    }),
  ]);
  return {
    org,
    webhookId: webhook.id,
    eventId,
    deliveryId,
    secret: webhook.secret,
    eventCreatedAt: createdAt,
    message: { v: 1, deliveryId, org },
  };
}

/** One row of a delivery's attempt log. */
export async function seedAttempt(org: string, deliveryId: string, attempt: number, fields: Partial<typeof deliveryAttempts.$inferInsert> = {}) {
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

/** A workflow at step 1, created through the real createWorkflow (history, counters, event included). */
export function seedWorkflow(org: string, input: Partial<CreateWorkflowInput> = {}, as: { sub?: string; role?: Role } = {}) {
  return createWorkflow(
    db,
    env.DELIVERY_QUEUE,
    { org, sub: as.sub ?? "seed", role: as.role ?? "staff" },
    { documentId: "doc-1", workflowType: "approval", steps: ["review", "approve", "sign"], ...input },
  );
}
