// The cron sweep (every minute): the outbox half of "an accepted event is never lost", and the
// retention purge. Publishing commits delivery rows before enqueueing; if the enqueue failed or
// a message was lost, the row stays pending past its time and is enqueued again here.
import { createDb } from "../db/client";
import { claimOverdueDeliveries } from "../db/repositories/deliveries";
import { purgeEventsBefore } from "../db/repositories/events";
import { IDEMPOTENCY_WINDOW_MS, purgeIdempotencyKeysBefore } from "../db/repositories/idempotency-keys";
import { enqueueByOrg } from "../delivery/queue";
import { releaseStalledLines } from "../webhooks/endpoint-gate";
import { configOf } from "../lib/config";
import { log } from "../lib/log";
import { retryEngineOutbox, runCronTriggers } from "./engine";

/**
 * A pending delivery this far past next_attempt_at is enqueued again. Queue delays are exact
 * and a due message reaches the consumer within max_batch_timeout (1 s, wrangler.toml), so
 * past that (plus a margin) the message is lost or stuck in a backlog. Sending another copy is
 * safe either way: the first copy to claim the delivery owns it and the other is dropped, and
 * an attempt in progress holds a lease (next_attempt_at in the future), so it is never overdue. Recovery after a
 * crash is therefore the next cron tick after next_attempt_at + this grace, not minutes. A
 * delivery already re-enqueued waits longer each time (claimOverdueDeliveries).
 */
export const OVERDUE_GRACE_MS = 5_000;
/** Per run: enough for any backlog to drain within minutes, small enough for one invocation. */
export const SWEEP_MAX_DELIVERIES = 500;
export const PURGE_MAX_EVENTS = 500;
export const PURGE_MAX_IDEMPOTENCY_KEYS = 1000;

export interface SweepResult {
  requeued: number;
  purgedEvents: number;
  purgedIdempotencyKeys: number;
}

/** The cron entry point's one db and config; an invalid config throws (and the run is logged failed). */
export async function runSweep(env: Env, now: Date): Promise<SweepResult> {
  const db = createDb(env.DB);
  const config = configOf(env);

  const overdue = await claimOverdueDeliveries(db, now, OVERDUE_GRACE_MS, SWEEP_MAX_DELIVERIES);
  await enqueueByOrg(env.DELIVERY_QUEUE, overdue);
  await releaseStalledLines(db, env.DELIVERY_QUEUE, now, new Date(now.getTime() - OVERDUE_GRACE_MS));

  const eventCutoff = new Date(now.getTime() - config.eventRetentionDays * 86_400_000);
  let purgedEvents = 0;
  while (purgedEvents < PURGE_MAX_EVENTS) {
    const n = await purgeEventsBefore(db, eventCutoff, PURGE_MAX_EVENTS - purgedEvents);
    purgedEvents += n;
    if (n === 0) break;
  }
  const purgedIdempotencyKeys = await purgeIdempotencyKeysBefore(db, new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS), PURGE_MAX_IDEMPOTENCY_KEYS);

  const result = { requeued: overdue.length, purgedEvents, purgedIdempotencyKeys };
  if (result.requeued || result.purgedEvents || result.purgedIdempotencyKeys) log("info", "cron sweep", { ...result });
  return result;
}

export async function handleScheduled(controller: ScheduledController, env: Env): Promise<void> {
  const now = new Date(controller.scheduledTime);
  await runSweep(env, now);
  const db = createDb(env.DB);
  const started = await runCronTriggers(db, env, now);
  const retried = await retryEngineOutbox(db, env, now);
  if (started || retried.dispatches || retried.emails) log("info", "cron engine", { started, ...retried });
}
