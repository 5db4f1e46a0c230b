// What the queue consumer asks and tells the endpoint side, in one place so the consumer stays a
// list of calls: before an attempt, the webhook's order and pace (endpoint-gate.ts); after it,
// the analytics point, the disabled alert, and the release of an ordered webhook's next delivery.
import type { Db } from "../db/client";
import type { WebhookEffect } from "../db/repositories/webhooks";
import type { DeliveryRow, DeliveryStatus, WebhookRow } from "../db/schema";
import { type AttemptMetric, writeAttemptMetric } from "./attempt-metrics";
import { announceIfDisabled } from "./disabled-alert";
import { gateAttempt, releaseNext } from "./endpoint-gate";

export interface AttemptReport extends AttemptMetric {
  effect: WebhookEffect;
  /** The delivery's status after the attempt: anything but pending ends it. */
  status: DeliveryStatus;
  ordered: boolean;
  at: Date;
}

export interface EndpointHooks {
  /** Asked before each attempt; false means the message is done with (parked or re-sent). */
  beforeAttempt(webhook: WebhookRow, delivery: DeliveryRow, now: Date): Promise<boolean>;
  /** After an attempt was recorded (a duplicate message's attempt is not reported). */
  attempted(report: AttemptReport): Promise<void>;
  /** After a delivery ended without an attempt, or was dead-lettered (`countedFailure`). */
  ended(org: string, webhook: WebhookRow, now: Date, countedFailure: boolean): Promise<void>;
}

/** Only these effects can disable a webhook. */
const mayDisable = (effect: WebhookEffect) => effect.kind === "gone" || effect.kind === "failure";

export function endpointHooks(env: Env, db: Db): EndpointHooks {
  return {
    beforeAttempt: (webhook, delivery, now) => gateAttempt(env, db, webhook, delivery, now),
    async attempted(report) {
      writeAttemptMetric(env.DELIVERY_ANALYTICS, report);
      if (mayDisable(report.effect)) await announceIfDisabled(db, env.DELIVERY_QUEUE, report.org, report.webhookId, report.at);
      if (report.ordered && report.status !== "pending") await releaseNext(env, db, report.org, report.webhookId, report.at);
    },
    async ended(org, webhook, now, countedFailure) {
      if (countedFailure) await announceIfDisabled(db, env.DELIVERY_QUEUE, org, webhook.id, now);
      if (webhook.ordered) await releaseNext(env, db, org, webhook.id, now);
    },
  };
}
