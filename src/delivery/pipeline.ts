// One queue message → at most one delivery attempt, recorded, and what the queue should do next.
// D1 is the truth: the message only names a delivery, everything else is reloaded here.
import { decryptSecret } from "../crypto/secrets";
import type { Db } from "../db/client";
import { recordAttempt } from "../db/repositories/delivery-attempts";
import { claimDelivery, type DeliveryContext, failPendingDeliveryById, type LoadedWebhook, releaseClaim } from "../db/repositories/deliveries";
import type { WebhookEffect } from "../db/repositories/webhooks";
import type { DeliveryStatus } from "../db/schema";
import type { Config } from "../lib/config";
import { log } from "../lib/log";
import { type AttemptOutcome, deliverOnce, type FetchLike } from "./deliver";
import type { DeliveryMessage } from "./queue";
import { nextStep } from "./retry";
import { eventBody, signatureHeader, unixSeconds } from "./sign";
import { checkHostResolution, DOH_TIMEOUT_MS } from "./host-resolution";
import { checkWebhookUrl } from "./url-policy";

export interface DeliveryDeps {
  fetch: FetchLike;
  now: () => Date;
}

/** What the queue does with the message: done, try again later, or done and dead-lettered. */
export type Disposition = { kind: "ack" } | { kind: "retry"; delaySeconds: number } | { kind: "dead-letter" };

/**
 * A message arriving this much before the delivery's next_attempt_at is a stale copy (a
 * redelivery, or a copy of a message whose attempt another copy is making or has made): the
 * scheduled retry will come.
 */
const EARLY_TOLERANCE_MS = 2_000;
/** Beyond the DNS lookup and the attempt's own deadline: D1, signing, the record. */
const LEASE_MARGIN_MS = 10_000;

const ACK: Disposition = { kind: "ack" };

/** `messageId` is the queue message's id: the first message to claim a delivery owns it. */
export async function processDelivery(db: Db, config: Config, deps: DeliveryDeps, message: DeliveryMessage, messageId: string): Promise<Disposition> {
  const { org, deliveryId } = message;
  const startedAt = deps.now();
  // The lease covers everything until the attempt is recorded; a crash inside it leaves the
  // delivery to the cron sweep once it has run out.
  const claim = {
    messageId,
    dueBy: new Date(startedAt.getTime() + EARLY_TOLERANCE_MS),
    leaseUntil: new Date(startedAt.getTime() + DOH_TIMEOUT_MS + config.webhookTimeoutMs + LEASE_MARGIN_MS),
  };
  const { claimed, ctx } = await claimDelivery(db, org, deliveryId, claim);
  if (!ctx) {
    log("warn", "delivery not found; message dropped", { org, deliveryId });
    return ACK;
  }
  if (!claimed) {
    // Ended, owned by another copy of its message (sweep, manual retry, redelivery), early, or
    // being attempted right now: in every case this copy must not send.
    if (ctx.delivery.status === "pending" && ctx.delivery.claimedBy !== messageId) {
      log("info", "another copy owns the delivery; message dropped", { org, deliveryId, messageId });
    }
    return ACK;
  }
  try {
    return await attemptClaimed(db, config, deps, ctx, startedAt);
  } catch (error) {
    // Our own failure before the attempt was recorded: hand the lease back so the queue's
    // retry of this message finds the delivery due.
    await releaseClaim(db, org, deliveryId, claim, deps.now()).catch(() => {});
    throw error;
  }
}

async function attemptClaimed(db: Db, config: Config, deps: DeliveryDeps, ctx: DeliveryContext, startedAt: Date): Promise<Disposition> {
  const { delivery, webhook, event } = ctx;
  const { org, id: deliveryId } = delivery;
  // Ending without an attempt: nothing was sent, so the webhook's failure counter is untouched.
  const endWithout = async (reason: string) => {
    await failPendingDeliveryById(db, org, deliveryId, reason, startedAt);
    log("info", "delivery ended without an attempt", { org, deliveryId, reason });
    return ACK;
  };
  if (!webhook) return endWithout("webhook deleted");
  // A disabled webhook's deliveries end visibly failed (retryable by hand after re-enabling)
  // rather than stay pending, which the cron sweep would re-enqueue for ever.
  if (!webhook.active) return endWithout(`webhook disabled${webhook.disabledReason ? `: ${webhook.disabledReason}` : ""}`);
  if (!event) return endWithout("event no longer exists (retention)");

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
