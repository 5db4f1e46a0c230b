// One batch of the delivery queue in two D1 round trips, whatever its size: every message's
// claim and delivery context in one db.batch, every message's attempt made at once (within the runtime's
// connection limit), every outcome written in one db.batch. Then each message is acked,
// retried or dead-lettered as its outcome says.
import type { Db } from "../db/client";
import { recordAttempts } from "../db/repositories/delivery-attempts";
import { type Claim, claimAndLoadDeliveries, endPendingDelivery, releaseClaim } from "../db/repositories/deliveries";
import type { Config } from "../lib/config";
import { slots } from "../lib/concurrency";
import { log } from "../lib/log";
import type { EndpointHooks } from "../webhooks/endpoint-hooks";
import { DOH_TIMEOUT_MS, oncePerHost } from "./host-resolution";
import { type DeliveryDeps, EARLY_TOLERANCE_MS, type Plan, planDelivery } from "./pipeline";
import type { DeliveryMessage } from "./queue";
import { backoffSeconds, jittered } from "./policy";

/**
 * A Worker invocation may have 6 outbound connections open at once; the runtime queues any
 * more. Waiting for a slot here instead keeps that wait out of an attempt's deadline. The
 * delivery queue's max_batch_size (wrangler.toml) is this same 6, so no message of a batch
 * waits for a slot behind a receiver that never answers: a healthy endpoint's delivery is
 * never held up by slow ones (more parallel work comes from more consumer invocations). The
 * DNS lookups (two per host name, shared by the batch's attempts to it) are short fetches that
 * fit beside at most five slow POSTs.
 */
export const OUTBOUND_CONNECTIONS = 6;
/** The claim's lease beyond the DNS lookup and the attempt's deadline: D1, signing, the record. */
const LEASE_MARGIN_MS = 10_000;

export interface Parsed {
  message: Message<unknown>;
  body: DeliveryMessage;
}

type Planned = Parsed & { plan: Plan };
type With<K extends Plan["kind"]> = Parsed & { plan: Extract<Plan, { kind: K }> };
const is =
  <K extends Plan["kind"]>(kind: K) =>
  (p: Planned): p is With<K> =>
    p.plan.kind === kind;

/** Where a batch's outcomes go: D1, the dead-letter queue, the endpoint side (metrics, alerts). */
export interface BatchSinks {
  db: Db;
  deadLetters: Queue;
  hooks: EndpointHooks;
}

export async function deliverBatch(messages: Parsed[], { db, deadLetters, hooks }: BatchSinks, config: Config, deps: DeliveryDeps): Promise<void> {
  // Each message first claims its delivery (one owner per delivery: two copies never make two
  // requests) and leases it until its attempt is recorded, long enough for every attempt of
  // the batch, in turns of OUTBOUND_CONNECTIONS, to run to its deadline.
  const claimedAt = deps.now();
  const turns = Math.ceil(messages.length / OUTBOUND_CONNECTIONS);
  const leaseUntil = new Date(claimedAt.getTime() + turns * (DOH_TIMEOUT_MS + config.webhookTimeoutMs) + LEASE_MARGIN_MS);
  const claimOf = ({ message, body }: Parsed): Claim => ({ org: body.org, deliveryId: body.deliveryId, messageId: message.id });

  // Our own failure (D1, decryption), not the receiver's: no attempt is recorded. Back off by
  // the queue's own count; past max_retries the platform dead-letters the message.
  const retry = (m: Parsed, error: unknown) => {
    log("error", "delivery processing failed; message retried", { ...m.body, error: String(error) });
    m.message.retry({ delaySeconds: jittered(backoffSeconds(m.message.attempts, config.webhookRetryBaseSeconds), deps.random) });
  };
  // After the claim committed, the lease is given back too, so the queue's retry finds the delivery due.
  const retryOwnFailure = async (m: Parsed, error: unknown) => {
    await releaseClaim(db, claimOf(m), leaseUntil, deps.now()).catch(() => {});
    retry(m, error);
  };

  let batch: Awaited<ReturnType<typeof claimAndLoadDeliveries>>;
  try {
    batch = await claimAndLoadDeliveries(db, messages.map(claimOf), new Date(claimedAt.getTime() + EARLY_TOLERANCE_MS), leaseUntil);
  } catch (error) {
    // The claim's batch rolled back: there is no lease to give back.
    for (const m of messages) retry(m, error);
    return;
  }
  const { claimed, contexts } = batch;

  const shared = { slot: slots(OUTBOUND_CONNECTIONS), resolveHost: oncePerHost() };
  const planned: Planned[] = [];
  await Promise.all(
    messages.map(async (m, i) => {
      try {
        planned.push({ ...m, plan: await planDelivery(contexts.get(m.body.deliveryId), claimed[i]!, config, deps, m.body, shared, hooks) });
      } catch (error) {
        await retryOwnFailure(m, error);
      }
    }),
  );

  const ends = planned.filter(is("end"));
  const attempts = planned.filter(is("attempt"));
  let recorded: boolean[];
  try {
    recorded = await recordAttempts(
      db,
      attempts.map((p) => p.plan.record),
      ends.map((p) => endPendingDelivery(db, p.body.org, p.body.deliveryId, p.plan.reason, p.plan.at)),
    );
  } catch (error) {
    // Nothing was written: every message that had something to write is tried again.
    await Promise.all([...ends, ...attempts].map((p) => retryOwnFailure(p, error)));
    for (const p of planned.filter(is("skip"))) p.message.ack();
    return;
  }

  for (const p of ends) log("info", "delivery ended without an attempt", { ...p.body, reason: p.plan.reason });
  for (const p of [...ends, ...planned.filter(is("skip"))]) p.message.ack();
  const deadLettered: DeliveryMessage[] = [];
  const reports: Promise<void>[] = ends.map((p) => reportEnd(hooks, p));
  for (const [i, p] of attempts.entries()) {
    const { record, disposition } = p.plan;
    if (!recorded[i]) {
      log("info", "duplicate message: attempt already recorded", { ...p.body, attempt: record.priorAttempts + 1 });
      p.message.ack();
      continue;
    }
    reports.push(report(hooks, p.plan));
    // Only failures are logged. A success is in D1's attempt log (the delivery log of the API
    // and the dashboard) and in its Analytics Engine point; a line for it, even one per batch,
    // cost about a fifth of the CPU per delivery under wrangler dev (npm run bench, P4) and is a
    // billed Workers Logs event that says nothing to act on.
    if (record.status !== "succeeded") {
      const line = { ...p.body, webhookId: record.webhookId, attempt: record.priorAttempts + 1, statusCode: record.statusCode };
      log(record.status === "failed" ? "warn" : "info", "delivery attempt", { ...line, error: record.error, next: disposition });
    }
    if (disposition.kind === "retry") p.message.retry({ delaySeconds: disposition.delaySeconds });
    else {
      if (disposition.kind === "dead-letter") deadLettered.push({ ...p.body, exhausted: true });
      p.message.ack();
    }
  }
  await Promise.all([...reports, sendToDeadLetter(deadLetters, deadLettered)]);
}

/** Tells the endpoint side about a recorded attempt; its failure never undoes the attempt. */
async function report(hooks: EndpointHooks, plan: With<"attempt">["plan"]): Promise<void> {
  const { record } = plan;
  try {
    await hooks.attempted({
      org: record.org,
      webhookId: record.webhookId,
      eventType: plan.eventType,
      statusCode: record.statusCode,
      durationMs: record.durationMs,
      effect: record.webhook,
      status: record.status,
      ordered: plan.ordered,
      at: record.at,
    });
  } catch (error) {
    log("error", "attempt report failed", { org: record.org, deliveryId: record.deliveryId, error: String(error) });
  }
}

/** Tells the endpoint side a delivery ended without an attempt (an ordered line moves on). */
async function reportEnd(hooks: EndpointHooks, { body, plan }: With<"end">): Promise<void> {
  if (!plan.webhook) return;
  try {
    await hooks.ended(body.org, plan.webhook, plan.at, false);
  } catch (error) {
    log("error", "end report failed", { ...body, error: String(error) });
  }
}

async function sendToDeadLetter(queue: Queue, bodies: DeliveryMessage[]): Promise<void> {
  // Rare (a delivery's last attempt), so one send each.
  await Promise.all(
    bodies.map(async (body) => {
      try {
        await queue.send(body);
      } catch (error) {
        // The delivery is already `failed` in D1; the dead-letter copy is a record, not the truth.
        log("error", "dead-letter send failed", { ...body, error: String(error) });
      }
    }),
  );
}
