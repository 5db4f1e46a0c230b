// The delivery queue: its message, and the one commit-then-enqueue step every writer uses
// (publish, test send, redelivery, workflow creation and changes, the cron sweep).
//
// D1 is the source of truth and the delivery rows are the outbox: rows commit in one batch
// first, messages are enqueued after. If enqueueing fails the rows stay `pending` and the cron
// sweep enqueues them later, so an accepted event is never lost.
import { z } from "zod";
import { commit, type Db, type Statement } from "../db/client";
import { log } from "../lib/log";

// `deliveryId` names an outbox row: a webhook delivery (`msg_…`), or the engine's dispatch of
// an event to template triggers and waiting workflows (`evt_…`, see templates/dispatch.ts).
// Small and versioned: everything else is reloaded from D1, so messages stay far under the
// 128 KB limit and never carry payloads or secrets.
export const deliveryMessageSchema = z.object({
  v: z.literal(1),
  deliveryId: z.string().min(1).max(64),
  org: z.string().min(1).max(64),
  // Only on the copy the consumer sends to the dead-letter queue after a delivery's final
  // attempt was recorded (delivery-batch.ts): the delivery had already ended, so the dead-letter
  // consumer must not end it again, even if a retry has made it pending since.
  exhausted: z.literal(true).optional(),
});

export type DeliveryMessage = z.infer<typeof deliveryMessageSchema>;

/** Queue.sendBatch takes at most 100 messages. */
export const SEND_BATCH_MAX = 100;

/** Enqueue deliveries; a failure is logged, not thrown: the rows are committed and the sweep retries. */
export async function enqueueDeliveries(queue: Queue, org: string, deliveryIds: readonly string[]): Promise<void> {
  for (let i = 0; i < deliveryIds.length; i += SEND_BATCH_MAX) {
    const chunk = deliveryIds.slice(i, i + SEND_BATCH_MAX);
    try {
      await queue.sendBatch(chunk.map((deliveryId) => ({ body: { v: 1, deliveryId, org } satisfies DeliveryMessage })));
    } catch (error) {
      log("error", "enqueue failed; cron sweep will retry", { org, count: chunk.length, error: String(error) });
    }
  }
}

/** enqueueDeliveries for rows of several orgs (the cron's safety nets): one send per org, not per row. */
export async function enqueueByOrg(queue: Queue, rows: readonly { org: string; id: string }[]): Promise<void> {
  const byOrg = new Map<string, string[]>();
  for (const row of rows) {
    const ids = byOrg.get(row.org);
    if (ids) ids.push(row.id);
    else byOrg.set(row.org, [row.id]);
  }
  for (const [org, ids] of byOrg) await enqueueDeliveries(queue, org, ids);
}

/**
 * Commits `statements` in one D1 batch, then enqueues `deliveryIds` (delivery rows inserted or
 * reset by those statements) in one send; when which ids to send depends on what the batch
 * wrote (an event's engine dispatch row), pass a function of the batch results. Throws only if
 * the commit fails, in which case nothing is enqueued. Returns the batch results, in statement order.
 */
export async function commitAndEnqueue(
  db: Db,
  queue: Queue,
  org: string,
  statements: readonly Statement[],
  deliveryIds: readonly string[] | ((results: unknown[]) => readonly string[]),
): Promise<unknown[]> {
  const results = await commit(db, statements);
  await enqueueDeliveries(queue, org, typeof deliveryIds === "function" ? deliveryIds(results) : deliveryIds);
  return results;
}
