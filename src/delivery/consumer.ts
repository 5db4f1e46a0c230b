// The Worker's queue handler. One Worker consumes both queues and switches on `batch.queue`:
// `pca-deliveries` makes attempts (delivery-batch.ts), `pca-deliveries-dlq` records deliveries
// that ran out of them.
import { createDb, type Db } from "../db/client";
import { loadDeliveryContext } from "../db/repositories/deliveries";
import { endDeadLettered } from "../db/repositories/delivery-attempts";
import { type Config, configOf } from "../lib/config";
import { forEachBounded } from "../lib/concurrency";
import { log } from "../lib/log";
import { dispatchEvent } from "../templates/dispatch";
import { type EndpointHooks, endpointHooks } from "../webhooks/endpoint-hooks";
import { deliverBatch, type Parsed } from "./delivery-batch";
import type { DeliveryDeps } from "./pipeline";
import { type DeliveryMessage, deliveryMessageSchema } from "./queue";
import { backoffSeconds } from "./policy";

export const DELIVERY_QUEUE_NAME = "pca-deliveries";
export const DEAD_LETTER_QUEUE_NAME = "pca-deliveries-dlq";

/** Dead letters of one batch recorded at once (each is a few D1 writes, no outbound call). */
const DEAD_LETTER_CONCURRENCY = 6;
/** Engine dispatches of one batch at once (each may start or wake a few Durable Objects). */
const ENGINE_DISPATCH_CONCURRENCY = 4;

export type { DeliveryDeps } from "./pipeline";

/** The queue entry point: one db and one config for the whole batch. */
export async function handleQueueBatch(batch: MessageBatch<unknown>, env: Env, deps: DeliveryDeps): Promise<void> {
  const config = configOf(env);
  const db = createDb(env.DB);
  switch (batch.queue) {
    case DELIVERY_QUEUE_NAME: {
      const parsed = parseMessages(batch);
      await dispatchToEngine(parsed.filter(isEngineDispatch), db, env, config);
      const deliveries = parsed.filter((p) => !isEngineDispatch(p));
      return deliverBatch(deliveries, { db, deadLetters: env.DEAD_LETTER_QUEUE, hooks: endpointHooks(env, db) }, config, deps);
    }
    case DEAD_LETTER_QUEUE_NAME:
      return handleDeadLetterBatch(batch, db, env, config, deps);
    default:
      // A misrouted consumer binding: retrying keeps the messages (and ends in a DLQ) instead of losing them.
      log("error", "message batch from an unknown queue", { queue: batch.queue, count: batch.messages.length });
      batch.retryAll();
  }
}

/** The well-formed messages; a malformed one is logged and acked: retrying it could never succeed. */
function parseMessages(batch: MessageBatch<unknown>): Parsed[] {
  const parsed: Parsed[] = [];
  for (const message of batch.messages) {
    const result = deliveryMessageSchema.safeParse(message.body);
    if (result.success) parsed.push({ message, body: result.data });
    else {
      log("error", "malformed delivery message acked", { queue: batch.queue, messageId: message.id, issues: result.error.issues.slice(0, 5) });
      message.ack();
    }
  }
  return parsed;
}

// An `evt_` id is the engine's share of that event (triggers, waiting instances), not a delivery.
const isEngineDispatch = (p: Parsed) => p.body.deliveryId.startsWith("evt_");

async function dispatchToEngine(dispatches: Parsed[], db: Db, env: Env, config: Config) {
  await forEachBounded(dispatches, ENGINE_DISPATCH_CONCURRENCY, async ({ message, body }) => {
    try {
      await dispatchEvent(db, env, body.org, body.deliveryId);
      message.ack();
    } catch (error) {
      log("error", "engine dispatch failed; message retried", { ...body, error: String(error) });
      message.retry({ delaySeconds: backoffSeconds(message.attempts, config.webhookRetryBaseSeconds) });
    }
  });
}

/**
 * Dead letters arrive two ways: from us after a final attempt (`exhausted`: the delivery was
 * already failed, and a pending one has been retried or recovered since, so it is left alone)
 * or from the platform after `max_retries` of our own errors (it may still be pending: it ends
 * `failed`). Either way a delivery ends at most once; a repeated dead letter changes nothing.
 */
async function handleDeadLetterBatch(batch: MessageBatch<unknown>, db: Db, env: Env, config: Config, deps: DeliveryDeps): Promise<void> {
  const hooks = endpointHooks(env, db);
  await forEachBounded(parseMessages(batch), DEAD_LETTER_CONCURRENCY, async ({ message, body }) => {
    try {
      const ended = await recordDeadLetter(db, hooks, body, deps.now(), config.webhookDisableAfterFailures);
      log("warn", "delivery dead-lettered", { ...body, endedHere: ended });
      message.ack();
    } catch (error) {
      log("error", "dead-letter processing failed; message retried", { ...body, error: String(error) });
      message.retry();
    }
  });
}

async function recordDeadLetter(db: Db, hooks: EndpointHooks, body: DeliveryMessage, now: Date, disableAfter: number): Promise<boolean> {
  if (body.exhausted) return false;
  const ctx = await loadDeliveryContext(db, body.org, body.deliveryId);
  if (ctx?.delivery.status !== "pending") return false;
  const delivery = { org: body.org, id: body.deliveryId, webhookId: ctx.webhook?.id };
  const ended = await endDeadLettered(db, delivery, "dead-lettered: delivery could not be processed", disableAfter, now);
  if (ended && ctx.webhook) await hooks.ended(body.org, ctx.webhook, now, true);
  return ended;
}
