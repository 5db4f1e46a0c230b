// POST /webhooks/:id/recover: after an outage, every failed delivery of a window goes out again
// with a fresh schedule. Bounded batches keep one call inside a Worker's limits (each batch is
// one D1 UPDATE and at most five queue sends) and a call twice in a row doubles nothing.
import type { Db } from "../db/client";
import { requeueFailedDeliveries } from "../db/repositories/deliveries";
import { enqueueDeliveries } from "../delivery/queue";

export const RECOVER_BATCH = 500;
/** Per call: 100 batches, about 600 subrequests. Past it, the answer says so and a second call goes on. */
export const RECOVER_MAX_PER_CALL = 50_000;

export interface RecoverWindow {
  since: Date;
  until: Date;
}

/**
 * Moves the failed deliveries of the window back to pending batch by batch and enqueues each
 * batch after it commits (if a send fails, the rows are pending and the cron sweep sends them).
 */
export async function recoverFailedDeliveries(db: Db, queue: Queue, org: string, webhookId: string, window: RecoverWindow, now: Date) {
  let count = 0;
  while (count < RECOVER_MAX_PER_CALL) {
    const ids = await requeueFailedDeliveries(db, org, webhookId, window, now, Math.min(RECOVER_BATCH, RECOVER_MAX_PER_CALL - count));
    await enqueueDeliveries(queue, org, ids);
    count += ids.length;
    if (ids.length < RECOVER_BATCH) return { count, more: false };
  }
  return { count, more: true };
}
