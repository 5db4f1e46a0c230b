// The one publish path: the HTTP route, the AutomationService RPC, webhook test sends and
// workflow changes all come through here. Committing and enqueueing is delivery/queue.ts's
// commitAndEnqueue (the outbox).
import type { Db, Statement } from "../db/client";
import { insertDeliveries } from "../db/repositories/deliveries";
import { insertDispatchIfWanted } from "../db/repositories/engine-dispatches";
import { insertEvent } from "../db/repositories/events";
import { claimIdempotencyKey, findIdempotencyRecord } from "../db/repositories/idempotency-keys";
import type { Subscriber } from "../db/repositories/webhook-event-types";
import { commitAndEnqueue } from "../delivery/queue";
import { conflict, validationError } from "../errors";
import { newId } from "../lib/ids";
import { sha256Hex } from "../lib/sha256";
import { routeEvent } from "../webhooks/routing";
import { type SubscriberSnapshot, subscriptionGuardStatement, withSubscribers } from "../webhooks/subscribers";
import { EVENT_CATALOG, type EventType, isEventType } from "./catalog";

export interface PreparedEvent {
  event: { id: string; type: EventType; createdAt: Date };
  statements: Statement[];
  deliveryIds: string[];
  /** Index in `statements` of the engine's conditional dispatch row, if any. */
  dispatchIndex?: number;
}

/**
 * What to enqueue once `prepared` committed: its deliveries, and its engine dispatch if written
 * (`results` of the batch, `offset` = the index of the event's first statement in it).
 */
export const enqueuedIds = (prepared: PreparedEvent, results: unknown[], offset = 0) => [
  ...prepared.deliveryIds,
  ...dispatchedEventIds(prepared, results, offset),
];

/**
 * After the commit: the event id when its dispatch row was written (`results` of the batch,
 * `offset` = the index of the event's first statement in it). The caller enqueues it on the
 * delivery queue so triggers and waiting instances hear of it now. A dispatch not enqueued (a failed send, or a
 * writer that does not call this) is enqueued by the cron sweep within minutes.
 */
function dispatchedEventIds(prepared: PreparedEvent, results: unknown[], offset = 0): string[] {
  if (prepared.dispatchIndex === undefined) return [];
  const result = results[offset + prepared.dispatchIndex] as D1Result | undefined;
  return result?.meta.changes ? [prepared.event.id] : [];
}

/**
 * Statements for the event row and a pending delivery per active webhook whose subscription
 * and filter match (or for `webhookId` alone, for test sends). The caller commits them with
 * commitAndEnqueue, beside its own statements, so a workflow change and its event commit
 * together. `snapshot`: the subscribers the caller routes with (webhooks/subscribers.ts; the
 * caller runs under withSubscribers): they save the read, and their guard joins the statements
 * so the batch fails if they went stale. Without it the subscribers are read for this write.
 */
export async function prepareEvent(
  db: Db,
  org: string,
  input: { type: EventType; data: Record<string, unknown> },
  options: { now?: Date; webhookId?: string; snapshot?: SubscriberSnapshot; triggerDepth?: number } = {},
): Promise<PreparedEvent> {
  const createdAt = options.now ?? new Date();
  const event = { id: newId("evt"), org, type: input.type, data: input.data, createdAt };
  const { snapshot } = options;
  const subscribers = snapshot ? snapshotSubscribers(snapshot, org, input.type) : undefined;
  const webhookIds = options.webhookId ? [options.webhookId] : await routeEvent(db, org, event, subscribers);
  const rows = webhookIds.map((webhookId) => ({
    id: newId("msg"),
    org,
    webhookId,
    eventId: event.id,
    eventType: event.type,
    status: "pending" as const,
    nextAttemptAt: createdAt,
    createdAt,
    updatedAt: createdAt,
  }));
  const statements = [
    ...(snapshot?.guarded ? [subscriptionGuardStatement(db, snapshot)] : []),
    insertEvent(db, event),
    ...insertDeliveries(db, rows),
  ];
  const deliveryIds = rows.map((r) => r.id);
  // The engine's share (template triggers, waiting instances) rides the same outbox: a
  // dispatch row in this batch when some trigger or wait cares (see enqueueDispatch).
  const dispatchIndex = options.webhookId
    ? undefined
    : statements.push(insertDispatchIfWanted(db, { eventId: event.id, org, type: input.type, createdAt, depth: options.triggerDepth ?? 0 })) - 1;
  return { event: { id: event.id, type: input.type, createdAt }, statements, deliveryIds, dispatchIndex };
}

/** A snapshot's subscribers of `type`; one read for another org or without `type` is a bug, not "no subscribers". */
function snapshotSubscribers(snapshot: SubscriberSnapshot, org: string, type: string): Subscriber[] {
  const subscribers = snapshot.byType.get(type);
  if (snapshot.org !== org || !subscribers) throw new Error(`subscribers of ${type} in ${org} were not read for this write`);
  return subscribers;
}

export interface PublishResult {
  replayed: boolean;
  event: { id: string; type: string; createdAt: string };
}

/** Validate against the catalog, honour Idempotency-Key, commit, enqueue. Throws ApiError. */
export async function publishEvent(
  db: Db,
  queue: Queue,
  org: string,
  input: { type: string; data: unknown },
  idempotencyKey?: string,
  now = new Date(),
): Promise<PublishResult> {
  const { type, data } = validateEvent(input);
  const requestHash = idempotencyKey ? await hashRequest({ type, data }) : "";
  if (idempotencyKey) {
    const replay = await replayFor(db, org, idempotencyKey, requestHash, now);
    if (replay) return replay;
  }

  try {
    return await withSubscribers(db, org, [type], async (snapshot) => {
      const prepared = await prepareEvent(db, org, { type, data }, { now, snapshot });
      const claim = idempotencyKey ? claimIdempotencyKey(db, { org, key: idempotencyKey, requestHash, eventId: prepared.event.id, now }) : [];
      await commitAndEnqueue(db, queue, org, [...claim, ...prepared.statements], (results) => enqueuedIds(prepared, results, claim.length));
      return { replayed: false, event: { id: prepared.event.id, type, createdAt: prepared.event.createdAt.toISOString() } };
    });
  } catch (error) {
    // A concurrent request with the same key won the claim: answer as it did.
    const replay = idempotencyKey ? await replayFor(db, org, idempotencyKey, requestHash, now) : undefined;
    if (replay) return replay;
    throw error;
  }
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
const hashRequest = (value: unknown): Promise<string> => sha256Hex(canonicalJson(value));

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
