// One queue message → at most one delivery attempt, and what to record and what the queue
// should do next. D1 is the truth: the message only names a delivery, loaded with the batch.
import { decryptSecret } from "../crypto/secrets";
import type { AttemptRecord } from "../db/repositories/delivery-attempts";
import type { DeliveryContext } from "../db/repositories/deliveries";
import type { WebhookRow } from "../db/schema";
import type { Config } from "../lib/config";
import { log } from "../lib/log";
import type { EndpointHooks } from "../webhooks/endpoint-hooks";
import { type AttemptOutcome, deliverOnce, type FetchLike } from "./deliver";
import type { DeliveryMessage } from "./queue";
import { decideAttempt, type Disposition, type Random } from "./policy";
import { eventBody, signatureHeader, unixSeconds } from "./sign";
import type { HostResolution } from "./host-resolution";
import { checkWebhookUrl } from "./url-policy";

export interface DeliveryDeps {
  fetch: FetchLike;
  now: () => Date;
  /** The jitter's random source (delivery/policy.ts): Math.random in production. */
  random: Random;
}

export type { Disposition } from "./policy";

/**
 * A message arriving this much before the delivery's next_attempt_at is a stale copy (a
 * redelivery, or a copy of a message whose attempt another copy is making or has made): the
 * scheduled retry will come. The consumer's claim (delivery-batch.ts) applies it.
 */
export const EARLY_TOLERANCE_MS = 2_000;

/**
 * What one message comes to, before anything is written: nothing to write (gone, not pending,
 * or early), ending the delivery without an attempt, or an attempt made and its record. The
 * batch handler (delivery-batch.ts) writes every message's outcome in one D1 batch.
 */
export type Plan =
  | { kind: "skip" }
  | { kind: "end"; reason: string; at: Date; webhook?: WebhookRow }
  | { kind: "attempt"; record: AttemptRecord; disposition: Disposition; eventType: string; ordered: boolean };

/** What a batch's attempts share (delivery-batch.ts): its outbound connections and its DNS lookups. */
interface BatchShared {
  /** Runs a task when an outbound connection is free. */
  slot: <T>(task: () => Promise<T>) => Promise<T>;
  /** checkHostResolution, once per name for the whole batch (oncePerHost). */
  resolveHost: (hostname: string) => Promise<HostResolution>;
}

const SKIP: Plan = { kind: "skip" };

/**
 * `claimed`: this message won the delivery's claim (delivery-batch.ts). Without it the message
 * is a copy another message owns, or early, or the delivery has ended: it must not send.
 */
export async function planDelivery(
  ctx: DeliveryContext | undefined,
  claimed: boolean,
  config: Config,
  deps: DeliveryDeps,
  message: DeliveryMessage,
  shared: BatchShared,
  hooks: Pick<EndpointHooks, "beforeAttempt">,
): Promise<Plan> {
  const { org, deliveryId } = message;
  if (!ctx) {
    log("warn", "delivery not found; message dropped", { org, deliveryId });
    return SKIP;
  }
  const { delivery, webhook, event } = ctx;
  const loadedAt = deps.now();
  if (!claimed || delivery.status !== "pending") return SKIP;

  // Ending without an attempt: nothing was sent, so the webhook's failure counter is untouched.
  if (!webhook) return { kind: "end", reason: "webhook deleted", at: loadedAt };
  // A disabled webhook's deliveries end visibly failed (retryable by hand after re-enabling)
  // rather than stay pending, which the cron sweep would re-enqueue for ever.
  if (!webhook.active)
    return { kind: "end", reason: `webhook disabled${webhook.disabledReason ? `: ${webhook.disabledReason}` : ""}`, at: loadedAt, webhook };
  if (!event) return { kind: "end", reason: "event no longer exists (retention)", at: loadedAt, webhook };
  // The webhook's own order and pace: a delivery held back is parked or re-sent, never failed.
  if (!(await hooks.beforeAttempt(webhook, delivery, loadedAt))) return SKIP;

  // The clock starts when a connection is free, so time spent waiting for one is neither in
  // the signature's timestamp nor in the attempt's deadline.
  const { outcome, startedAt } = await shared.slot(async () => {
    const now = deps.now();
    return { outcome: await attempt(config, deps, shared.resolveHost, webhook, event, now), startedAt: now };
  });
  const attemptInSchedule = delivery.attempts - delivery.scheduleStart + 1;
  const policy = {
    maxAttempts: config.webhookMaxAttempts,
    baseSeconds: config.webhookRetryBaseSeconds,
    disableAfter: config.webhookDisableAfterFailures,
  };
  const decision = decideAttempt(policy, outcome, attemptInSchedule, deps.random);
  return {
    kind: "attempt",
    disposition: decision.disposition,
    eventType: event.type,
    ordered: webhook.ordered,
    record: {
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
    },
  };
}

type RefusedOutcome = Omit<AttemptOutcome, "kind"> & { kind: "refused" };

async function attempt(
  config: Config,
  deps: DeliveryDeps,
  resolveHost: BatchShared["resolveHost"],
  webhook: WebhookRow,
  event: { id: string; type: string; createdAt: Date; data: Record<string, unknown> },
  now: Date,
): Promise<AttemptOutcome | RefusedOutcome> {
  // The URL was checked when saved; checking again here catches a policy tightened since and
  // a name that now resolves somewhere private.
  const policy = checkWebhookUrl(webhook.url, { allowPrivate: config.allowPrivateWebhookUrls });
  if (!policy.ok) return refused(`URL refused: ${policy.reason}`);
  if (!config.allowPrivateWebhookUrls) {
    // Fail closed: a name we cannot resolve now is a retryable failure with nothing sent.
    const resolved = await resolveHost(policy.url.hostname);
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
async function liveSecrets(key: string, webhook: WebhookRow, now: Date): Promise<string[]> {
  const aad = `${webhook.org}:${webhook.id}`;
  const secrets = [await decryptSecret(key, webhook.secretEnc, aad)];
  if (webhook.previousSecretEnc && webhook.previousSecretExpiresAt && webhook.previousSecretExpiresAt.getTime() > now.getTime()) {
    secrets.push(await decryptSecret(key, webhook.previousSecretEnc, aad));
  }
  return secrets;
}
