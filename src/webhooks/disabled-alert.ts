// When delivery disables a webhook (410 Gone, or WEBHOOK_DISABLE_AFTER_FAILURES failed
// deliveries in a row), the org's other webhooks that subscribe to `webhook.disabled` (by name,
// `webhook.*` or `*`) hear of it as an ordinary event, so nobody has to poll for it.
import type { Db } from "../db/client";
import { findWebhookRow } from "../db/repositories/webhooks";
import { publishEvent } from "../events/publish";
import { log } from "../lib/log";

/**
 * Publishes `webhook.disabled` if the webhook is now disabled by the service (inactive with a
 * `disabledReason`; an admin's PUT {active:false} leaves none). The Idempotency-Key names the
 * disable itself (webhook and the time it happened), so concurrent failures that each notice
 * the same disable publish it once. Best effort: a failure here is logged, never thrown, as the
 * attempt that caused it is already recorded.
 */
export async function announceIfDisabled(db: Db, queue: Queue, org: string, webhookId: string, now: Date): Promise<void> {
  try {
    const row = await findWebhookRow(db, org, webhookId);
    if (!row || row.active || !row.disabledReason) return;
    const key = `webhook.disabled:${webhookId}:${row.updatedAt.getTime()}`;
    const data = { webhookId, url: row.url, reason: row.disabledReason };
    const published = await publishEvent(db, queue, org, { type: "webhook.disabled", data }, key, now);
    if (!published.replayed) log("warn", "webhook disabled; webhook.disabled published", { org, webhookId, eventId: published.event.id });
  } catch (error) {
    log("error", "webhook.disabled could not be published", { org, webhookId, error: String(error) });
  }
}
