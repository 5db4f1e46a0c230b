// Before each attempt the consumer asks the webhook's own rules whether this delivery may start
// now: `ordered` (is it the head of the webhook's line?) and `rateLimit` (does EndpointObject
// give it a token?). Neither ever fails a delivery: a parked one is released when the one ahead
// of it ends, a rate-limited one is sent again at its reserved slot.
import type { Db } from "../db/client";
import { parkBehindEarlier, releaseHead, releaseStalledHeads, scheduleAt } from "../db/repositories/delivery-lines";
import type { DeliveryRow, WebhookRow } from "../db/schema";
import { QUEUE_MAX_DELAY_SECONDS } from "../delivery/policy";
import { type DeliveryMessage, enqueueByOrg, enqueueDeliveries } from "../delivery/queue";
import { log } from "../lib/log";

/** True: the attempt may start now. False: the delivery was parked or given a later slot, and the message is done with. */
export async function gateAttempt(env: Env, db: Db, webhook: WebhookRow, delivery: DeliveryRow, now: Date): Promise<boolean> {
  if (webhook.ordered && (await parkBehindEarlier(db, delivery.org, delivery, now))) {
    // The message is acked: releaseNext sends a new one when the delivery ahead ends.
    return false;
  }
  if (webhook.rateLimit) {
    const stub = env.ENDPOINT_OBJECT.get(env.ENDPOINT_OBJECT.idFromName(webhook.id));
    const answer = await stub.admit(webhook.rateLimit, delivery.id, now.getTime());
    if (!answer.admit) {
      await waitForSlot(env, db, delivery, new Date(answer.at), now);
      return false;
    }
  }
  return true;
}

/**
 * Records the slot as next_attempt_at and sends a fresh delayed message for it; the current one
 * is acked. A fresh message (not message.retry) keeps waiting from counting toward the queue's
 * max_retries, which would dead-letter a delivery for being patient. If the send fails, the row
 * is pending with its time and the cron sweep sends it.
 */
async function waitForSlot(env: Env, db: Db, delivery: DeliveryRow, at: Date, now: Date) {
  await scheduleAt(db, delivery.org, delivery.id, at);
  const delaySeconds = Math.min(QUEUE_MAX_DELAY_SECONDS, Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000)));
  try {
    await env.DELIVERY_QUEUE.send({ v: 1, deliveryId: delivery.id, org: delivery.org } satisfies DeliveryMessage, { delaySeconds });
  } catch (error) {
    log("error", "rate-limit re-send failed; cron sweep will send it", { org: delivery.org, deliveryId: delivery.id, error: String(error) });
  }
}

/** After a delivery of an ordered webhook ended (succeeded, failed finally): the next one goes. */
export async function releaseNext(env: Env, db: Db, org: string, webhookId: string, now: Date): Promise<void> {
  const next = await releaseHead(db, org, webhookId, now);
  if (next) await enqueueDeliveries(env.DELIVERY_QUEUE, org, [next]);
}

/** Ordered webhooks handled per cron run; one index entry and one head lookup each. */
export const STALLED_LINES_PER_SWEEP = 200;

/** The cron sweep's safety net for a release that was lost between an attempt and its release. */
export async function releaseStalledLines(db: Db, queue: Queue, now: Date, stalledBefore: Date): Promise<number> {
  const released = await releaseStalledHeads(db, now, stalledBefore, STALLED_LINES_PER_SWEEP);
  await enqueueByOrg(queue, released);
  if (released.length) log("warn", "cron sweep released stalled ordered lines", { count: released.length });
  return released.length;
}
