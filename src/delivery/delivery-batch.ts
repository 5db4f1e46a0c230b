// One batch of the delivery queue in two D1 round trips, whatever its size: every message's
// delivery context in one query, every message's attempt made at once (within the runtime's
// connection limit), every outcome written in one db.batch. Then each message is acked,
// retried or dead-lettered as its outcome says.
import type { Db } from "../db/client";
import { recordAttempts } from "../db/repositories/delivery-attempts";
import { endPendingDelivery, loadDeliveryContexts } from "../db/repositories/deliveries";
import type { Config } from "../lib/config";
import { slots } from "../lib/concurrency";
import { log } from "../lib/log";
import type { EndpointHooks } from "../webhooks/endpoint-hooks";
import { type DeliveryDeps, type Plan, planDelivery } from "./pipeline";
import type { DeliveryMessage } from "./queue";
import { backoffSeconds, jittered } from "./policy";

/**
 * A Worker invocation may have 6 outbound connections open at once; the runtime queues any
 * more. Waiting for a slot here instead keeps that wait out of an attempt's deadline.
 */
export const OUTBOUND_CONNECTIONS = 6;

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
  // Our own failure (D1, decryption), not the receiver's: no attempt is recorded. Back off by
  // the queue's own count; past max_retries the platform dead-letters the message.
  const retryOwnFailure = ({ message, body }: Parsed, error: unknown) => {
    log("error", "delivery processing failed; message retried", { ...body, error: String(error) });
    message.retry({ delaySeconds: jittered(backoffSeconds(message.attempts, config.webhookRetryBaseSeconds), deps.random) });
  };

  let contexts: Awaited<ReturnType<typeof loadDeliveryContexts>>;
  try {
    contexts = await loadDeliveryContexts(
      db,
      messages.map((m) => m.body),
    );
  } catch (error) {
    for (const m of messages) retryOwnFailure(m, error);
    return;
  }

  const slot = slots(OUTBOUND_CONNECTIONS);
  const planned: Planned[] = [];
  await Promise.all(
    messages.map(async (m) => {
      try {
        planned.push({ ...m, plan: await planDelivery(contexts.get(m.body.deliveryId), config, deps, m.body, slot, hooks) });
      } catch (error) {
        retryOwnFailure(m, error);
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
    for (const p of [...ends, ...attempts]) retryOwnFailure(p, error);
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
    log(record.status === "failed" ? "warn" : "info", "delivery attempt", {
      ...p.body,
      webhookId: record.webhookId,
      attempt: record.priorAttempts + 1,
      statusCode: record.statusCode,
      error: record.error,
      next: disposition,
    });
    if (disposition.kind === "retry") p.message.retry({ delaySeconds: disposition.delaySeconds });
    else {
      if (disposition.kind === "dead-letter") deadLettered.push(p.body);
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
