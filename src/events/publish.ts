// The one publish path: the HTTP route, the AutomationService RPC, webhook test sends and
// workflow changes all come through here.
//
// D1 is the source of truth and the delivery rows are the outbox: rows commit in one batch
// first, messages are enqueued after. If enqueueing fails, the cron sweep enqueues the
// pending rows later, so an accepted event is never lost.
import type { BatchItem } from "drizzle-orm/batch";
import { createDb, type Db } from "../db/client";
import { claimIdempotencyKey, findIdempotencyRecord } from "../db/repositories/idempotency";
import { insertEventWithDeliveries } from "../db/repositories/subscriptions";
import type { DeliveryMessage } from "../delivery/message";
import { conflict, validationError } from "../errors";
import { newId } from "../lib/ids";
import { log } from "../lib/log";
import { routeEvent } from "../webhooks/routing";
import { EVENT_CATALOG, isEventType, type EventType } from "./catalog";

export interface PreparedEvent {
  event: { id: string; type: EventType; createdAt: Date };
  statements: BatchItem<"sqlite">[];
  deliveryIds: string[];
}

/**
 * Statements for the event row and a pending delivery per active webhook whose subscription
 * and filter match (or for `webhookId` alone, for test sends). The caller runs them in its own db.batch, so a workflow
 * change and its event commit together.
 */
export async function prepareEvent(
  db: Db,
  org: string,
  input: { type: EventType; data: Record<string, unknown> },
  options: { now?: Date; webhookId?: string } = {},
): Promise<PreparedEvent> {
  const event = { id: newId("evt"), org, type: input.type, data: input.data, createdAt: options.now ?? new Date() };
  const webhookIds = options.webhookId ? [options.webhookId] : await routeEvent(db, org, event);
  const targets = webhookIds.map((webhookId) => ({ webhookId, deliveryId: newId("msg") }));
  return {
    event: { id: event.id, type: input.type, createdAt: event.createdAt },
    statements: insertEventWithDeliveries(db, event, targets),
    deliveryIds: targets.map((t) => t.deliveryId),
  };
}

const SEND_BATCH_MAX = 100;

/** Enqueue deliveries; a failure is logged, not thrown: the rows are committed and the sweep retries. */
export async function enqueueDeliveries(queue: Queue, org: string, deliveryIds: string[]): Promise<void> {
  for (let i = 0; i < deliveryIds.length; i += SEND_BATCH_MAX) {
    const chunk = deliveryIds.slice(i, i + SEND_BATCH_MAX);
    try {
      await queue.sendBatch(chunk.map((deliveryId) => ({ body: { v: 1, deliveryId, org } satisfies DeliveryMessage })));
    } catch (error) {
      log("error", "enqueue failed; cron sweep will retry", { org, count: chunk.length, error: String(error) });
    }
  }
}

export interface PublishResult {
  replayed: boolean;
  event: { id: string; type: string; createdAt: string };
}

/** Validate against the catalog, honour Idempotency-Key, commit, enqueue. Throws ApiError. */
export async function publishEvent(
  env: Env,
  org: string,
  input: { type: string; data: unknown },
  idempotencyKey?: string,
  now = new Date(),
): Promise<PublishResult> {
  const { type, data } = validateEvent(input);
  const db = createDb(env.DB);
  const requestHash = idempotencyKey ? await hashRequest({ type, data }) : "";
  if (idempotencyKey) {
    const replay = await replayFor(db, org, idempotencyKey, requestHash, now);
    if (replay) return replay;
  }

  const prepared = await prepareEvent(db, org, { type, data }, { now });
  const claim = idempotencyKey
    ? claimIdempotencyKey(db, { org, key: idempotencyKey, requestHash, eventId: prepared.event.id, now })
    : [];
  try {
    await db.batch([...claim, ...prepared.statements] as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  } catch (error) {
    // A concurrent request with the same key won the claim: answer as it did.
    const replay = idempotencyKey ? await replayFor(db, org, idempotencyKey, requestHash, now) : undefined;
    if (replay) return replay;
    throw error;
  }
  await enqueueDeliveries(env.DELIVERY_QUEUE, org, prepared.deliveryIds);
  return { replayed: false, event: { id: prepared.event.id, type, createdAt: prepared.event.createdAt.toISOString() } };
}

function validateEvent(input: { type: string; data: unknown }): { type: EventType; data: Record<string, unknown> } {
  if (!isEventType(input.type)) {
    throw validationError(`Unknown event type '${String(input.type).slice(0, 100)}'`, [
      { path: "type", message: "must be a type from GET /api/v1/webhooks/event-types" },
    ]);
  }
  const parsed = EVENT_CATALOG[input.type].data.safeParse(input.data);
  if (!parsed.success) {
    throw validationError(
      `Invalid data for ${input.type}`,
      parsed.error.issues.map((i) => ({ path: ["data", ...i.path.map(String)].join("."), message: i.message })),
    );
  }
  return { type: input.type, data: parsed.data as Record<string, unknown> };
}

async function replayFor(db: Db, org: string, key: string, requestHash: string, now: Date) {
  const record = await findIdempotencyRecord(db, org, key, now);
  if (!record) return undefined;
  if (record.requestHash !== requestHash) {
    throw conflict("This Idempotency-Key was already used with a different request body");
  }
  return { replayed: true, event: { id: record.id, type: record.type, createdAt: record.createdAt.toISOString() } };
}

/** SHA-256 over a key-order-independent JSON form, so a re-sent body matches itself. */
async function hashRequest(value: unknown): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonicalJson(value)));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

