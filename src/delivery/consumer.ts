// The Worker's queue handler. One Worker consumes both queues and switches on `batch.queue`:
// `pca-deliveries` makes attempts, `pca-deliveries-dlq` records deliveries that ran out of them.
import { createDb, type Db } from "../db/client";
import { failPendingDeliveryById, loadDeliveryContext } from "../db/repositories/deliveries";
import { applyWebhookHealth } from "../db/repositories/webhooks";
import { type Config, configOf } from "../lib/config";
import { forEachBounded } from "../lib/concurrency";
import { log } from "../lib/log";
import { type DeliveryDeps, processDelivery } from "./pipeline";
import { type DeliveryMessage, deliveryMessageSchema } from "./queue";
import { backoffSeconds } from "./retry";

export const DELIVERY_QUEUE_NAME = "pca-deliveries";
export const DEAD_LETTER_QUEUE_NAME = "pca-deliveries-dlq";

/**
 * Messages of one batch in flight at once. A Worker invocation has 6 simultaneous outgoing
 * connections; a 7th fetch waits for one to close, so behind a receiver that never answers it
 * would wait a whole WEBHOOK_TIMEOUT_MS. The delivery queue's max_batch_size (wrangler.toml)
 * is therefore this same 6: every message of a batch starts at once, and a healthy endpoint
 * never waits for a slow one's connection. (Each attempt's DNS lookups are short fetches that
 * fit beside at most five slow POSTs.) More parallel work comes from more consumer
 * invocations (max_concurrency), each with its own 6 connections.
 */
export const MESSAGE_CONCURRENCY = 6;

export type { DeliveryDeps } from "./pipeline";

/** The queue entry point: one db and one config for the whole batch. */
export async function handleQueueBatch(batch: MessageBatch<unknown>, env: Env, deps: DeliveryDeps): Promise<void> {
  const config = configOf(env);
  const db = createDb(env.DB);
  switch (batch.queue) {
    case DELIVERY_QUEUE_NAME:
      return handleDeliveryBatch(batch, db, env, config, deps);
    case DEAD_LETTER_QUEUE_NAME:
      return handleDeadLetterBatch(batch, db, config, deps);
    default:
      // A misrouted consumer binding: retrying keeps the messages (and ends in a DLQ) instead of losing them.
      log("error", "message batch from an unknown queue", { queue: batch.queue, count: batch.messages.length });
      batch.retryAll();
  }
}

/**
 * Runs `handle` on each well-formed message, MESSAGE_CONCURRENCY at a time. A malformed one
 * is logged and acked: retrying it could never succeed.
 */
async function forEachMessage(batch: MessageBatch<unknown>, handle: (message: Message<unknown>, body: DeliveryMessage) => Promise<void>) {
  if (batch.messages.length > MESSAGE_CONCURRENCY && batch.queue === DELIVERY_QUEUE_NAME) {
    log("warn", "delivery batch larger than the connection slots; set max_batch_size to 6", { count: batch.messages.length });
  }
  await forEachBounded(batch.messages, MESSAGE_CONCURRENCY, async (message) => {
    const parsed = deliveryMessageSchema.safeParse(message.body);
    if (parsed.success) return handle(message, parsed.data);
    log("error", "malformed delivery message acked", { queue: batch.queue, messageId: message.id, issues: parsed.error.issues.slice(0, 5) });
    message.ack();
  });
}

async function handleDeliveryBatch(batch: MessageBatch<unknown>, db: Db, env: Env, config: Config, deps: DeliveryDeps): Promise<void> {
  await forEachMessage(batch, async (message, body) => {
    try {
      const next = await processDelivery(db, config, deps, body, message.id);
      if (next.kind === "retry") return message.retry({ delaySeconds: next.delaySeconds });
      if (next.kind === "dead-letter") await sendToDeadLetter(env, body);
      message.ack();
    } catch (error) {
      // Our own failure (D1, decryption), not the receiver's: no attempt was recorded. Back off
      // by the queue's own count; past max_retries the platform dead-letters the message.
      log("error", "delivery processing failed; message retried", { ...body, error: String(error) });
      message.retry({ delaySeconds: backoffSeconds(message.attempts, config.webhookRetryBaseSeconds) });
    }
  });
}

async function sendToDeadLetter(env: Env, body: DeliveryMessage): Promise<void> {
  try {
    await env.DEAD_LETTER_QUEUE.send(body);
  } catch (error) {
    // The delivery is already `failed` in D1; the dead-letter copy is a record, not the truth.
    log("error", "dead-letter send failed", { ...body, error: String(error) });
  }
}

/**
 * Dead letters arrive two ways: from us after a final attempt (the delivery is already failed)
 * or from the platform after `max_retries` of our own errors (it may still be pending). Either
 * way the delivery ends `failed` exactly once; a repeated dead letter changes nothing.
 */
async function handleDeadLetterBatch(batch: MessageBatch<unknown>, db: Db, config: Config, deps: DeliveryDeps): Promise<void> {
  await forEachMessage(batch, async (message, body) => {
    try {
      const ended = await recordDeadLetter(db, body, deps.now(), config.webhookDisableAfterFailures);
      log("warn", "delivery dead-lettered", { ...body, endedHere: ended });
      message.ack();
    } catch (error) {
      log("error", "dead-letter processing failed; message retried", { ...body, error: String(error) });
      message.retry();
    }
  });
}

async function recordDeadLetter(db: Db, body: DeliveryMessage, now: Date, disableAfter: number): Promise<boolean> {
  const ctx = await loadDeliveryContext(db, body.org, body.deliveryId);
  if (ctx?.delivery.status !== "pending") return false;
  const ended = await failPendingDeliveryById(db, body.org, body.deliveryId, "dead-lettered: delivery could not be processed", now);
  if (ended && ctx.webhook) await applyWebhookHealth(db, body.org, ctx.webhook.id, { kind: "failure", disableAfter }, now);
  return ended;
}
