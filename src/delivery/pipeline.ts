// One queue message → at most one delivery attempt, recorded, and what the queue should do next.
// D1 is the truth: the message only names a delivery, everything else is reloaded here.
import { decryptSecret } from "../crypto/secrets";
import type { Db } from "../db/client";
import { recordAttempt } from "../db/repositories/delivery-attempts";
import { failPendingDeliveryById, type LoadedWebhook, loadDeliveryContext } from "../db/repositories/deliveries";
import type { WebhookEffect } from "../db/repositories/webhooks";
import type { DeliveryStatus } from "../db/schema";
import type { Config } from "../lib/config";
import { log } from "../lib/log";
import type { EndpointHooks } from "../webhooks/endpoint-hooks";
import { type AttemptOutcome, deliverOnce, type FetchLike } from "./deliver";
import type { DeliveryMessage } from "./queue";
import { nextStep } from "./retry";
import { eventBody, signatureHeader, unixSeconds } from "./sign";
import { checkHostResolution } from "./host-resolution";
import { checkWebhookUrl } from "./url-policy";

export interface DeliveryDeps {
  fetch: FetchLike;
  now: () => Date;
}

/** What the queue does with the message: done, try again later, or done and dead-lettered. */
export type Disposition = { kind: "ack" } | { kind: "retry"; delaySeconds: number } | { kind: "dead-letter" };

/**
 * A message arriving this much before the delivery's next_attempt_at is a stale copy (a
 * redelivery, or a sweep re-enqueue overtaken by the real retry): the scheduled retry will come.
 */
const EARLY_TOLERANCE_MS = 2_000;

const ACK: Disposition = { kind: "ack" };

export async function processDelivery(
  db: Db,
  config: Config,
  deps: DeliveryDeps,
  hooks: EndpointHooks,
  message: DeliveryMessage,
): Promise<Disposition> {
  const { org, deliveryId } = message;
  const ctx = await loadDeliveryContext(db, org, deliveryId);
  if (!ctx) {
    log("warn", "delivery not found; message dropped", { org, deliveryId });
    return ACK;
  }
  const { delivery, webhook, event } = ctx;
  const startedAt = deps.now();
  if (delivery.status !== "pending") return ACK;
  if (delivery.nextAttemptAt && delivery.nextAttemptAt.getTime() > startedAt.getTime() + EARLY_TOLERANCE_MS) return ACK;

  // Ending without an attempt: nothing was sent, so the webhook's failure counter is untouched.
  const endWithout = async (reason: string) => {
    await failPendingDeliveryById(db, org, deliveryId, reason, startedAt);
    log("info", "delivery ended without an attempt", { org, deliveryId, reason });
    if (webhook) await hooks.ended(org, webhook, startedAt, false);
    return ACK;
  };
  if (!webhook) return endWithout("webhook deleted");
  // A disabled webhook's deliveries end visibly failed (retryable by hand after re-enabling)
  // rather than stay pending, which the cron sweep would re-enqueue for ever.
  if (!webhook.active) return endWithout(`webhook disabled${webhook.disabledReason ? `: ${webhook.disabledReason}` : ""}`);
  if (!event) return endWithout("event no longer exists (retention)");
  // The webhook's own order and pace: a delivery held back is parked or re-sent, never failed.
  if (!(await hooks.beforeAttempt(webhook, delivery, startedAt)).go) return ACK;

  const outcome = await attempt(config, deps, webhook, event, startedAt);
  const attemptInSchedule = delivery.attempts - delivery.scheduleStart + 1;
  const decision = decide(config, outcome, attemptInSchedule);

  const recorded = await recordAttempt(db, {
    org,
    deliveryId,
    webhookId: webhook.id,
    priorAttempts: delivery.attempts,
    statusCode: outcome.statusCode,
    durationMs: outcome.durationMs,
    error: outcome.error,
    responseSnippet: outcome.responseSnippet,
    status: decision.status,
    nextAttemptAt: decision.disposition.kind === "retry" ? new Date(deps.now().getTime() + decision.disposition.delaySeconds * 1000) : null,
    at: startedAt,
    webhook: decision.webhook,
  });
  if (!recorded) {
    log("info", "duplicate message: attempt already recorded", { org, deliveryId, attempt: delivery.attempts + 1 });
    return ACK;
  }
  await hooks.attempted({
    org,
    webhookId: webhook.id,
    eventType: event.type,
    statusCode: outcome.statusCode,
    durationMs: outcome.durationMs,
    effect: decision.webhook,
    status: decision.status,
    ordered: webhook.ordered,
    at: startedAt,
  });
  log(decision.status === "failed" ? "warn" : "info", "delivery attempt", {
    org,
    deliveryId,
    webhookId: webhook.id,
    attempt: delivery.attempts + 1,
    statusCode: outcome.statusCode,
    error: outcome.error,
    next: decision.disposition,
  });
  return decision.disposition;
}

type RefusedOutcome = Omit<AttemptOutcome, "kind"> & { kind: "refused" };

async function attempt(
  config: Config,
  deps: DeliveryDeps,
  webhook: LoadedWebhook,
  event: { id: string; type: string; createdAt: Date; data: Record<string, unknown> },
  now: Date,
): Promise<AttemptOutcome | RefusedOutcome> {
  // The URL was checked when saved; checking again here catches a policy tightened since and
  // a name that now resolves somewhere private.
  const policy = checkWebhookUrl(webhook.url, { allowPrivate: config.allowPrivateWebhookUrls });
  if (!policy.ok) return refused(`URL refused: ${policy.reason}`);
  if (!config.allowPrivateWebhookUrls) {
    // Fail closed: a name we cannot resolve now is a retryable failure with nothing sent.
    const resolved = await checkHostResolution(policy.url.hostname);
    if (!resolved.ok && resolved.kind === "private") return refused(`URL refused: ${resolved.reason}`);
    if (!resolved.ok) return { kind: "retryable", statusCode: null, error: resolved.reason, responseSnippet: null, durationMs: 0 };
  }
  const body = eventBody(event);
  const timestamp = unixSeconds(now);
  const signature = await signatureHeader(await liveSecrets(config.secretEncryptionKey, webhook, now), event.id, timestamp, body);
  return deliverOnce(
    deps.fetch,
    { url: policy.url.toString(), body, eventId: event.id, timestamp, signature, headers: webhook.headers ?? {} },
    { timeoutMs: config.webhookTimeoutMs, now: deps.now },
  );
}

const refused = (error: string): RefusedOutcome => ({ kind: "refused", statusCode: null, error, responseSnippet: null, durationMs: 0 });

/** The current secret, and the previous one while its rotation grace lasts. */
async function liveSecrets(key: string, webhook: LoadedWebhook, now: Date): Promise<string[]> {
  const aad = `${webhook.org}:${webhook.id}`;
  const secrets = [await decryptSecret(key, webhook.secretEnc, aad)];
  if (webhook.previousSecretEnc && webhook.previousSecretExpiresAt && webhook.previousSecretExpiresAt.getTime() > now.getTime()) {
    secrets.push(await decryptSecret(key, webhook.previousSecretEnc, aad));
  }
  return secrets;
}

interface Decision {
  status: DeliveryStatus;
  disposition: Disposition;
  webhook: WebhookEffect;
}

function decide(config: Config, outcome: AttemptOutcome | RefusedOutcome, attemptInSchedule: number): Decision {
  const failure: WebhookEffect = { kind: "failure", disableAfter: config.webhookDisableAfterFailures };
  switch (outcome.kind) {
    case "succeeded":
      return { status: "succeeded", disposition: ACK, webhook: { kind: "success" } };
    case "gone":
      return { status: "failed", disposition: ACK, webhook: { kind: "gone", reason: "endpoint answered 410 Gone" } };
    case "refused":
      // Retrying cannot help until someone changes the URL or the policy.
      return { status: "failed", disposition: ACK, webhook: failure };
    case "retryable": {
      const step = nextStep(
        { maxAttempts: config.webhookMaxAttempts, baseSeconds: config.webhookRetryBaseSeconds },
        attemptInSchedule,
        outcome.retryAfterSeconds,
      );
      if (step.final) return { status: "failed", disposition: { kind: "dead-letter" }, webhook: failure };
      return { status: "pending", disposition: { kind: "retry", delaySeconds: step.delaySeconds }, webhook: { kind: "none" } };
    }
  }
}
