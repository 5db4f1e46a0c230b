// What the queue consumer tells the endpoint side about each attempt, in one place so the
// consumer stays a list of calls: the analytics point, and the disabled alert when an attempt
// (or a dead letter) made the service disable the webhook.
import type { Db } from "../db/client";
import type { WebhookEffect } from "../db/repositories/webhooks";
import { type AttemptMetric, writeAttemptMetric } from "./attempt-metrics";
import { announceIfDisabled } from "./disabled-alert";

export interface AttemptReport extends AttemptMetric {
  effect: WebhookEffect;
  at: Date;
}

export interface EndpointHooks {
  /** After an attempt was recorded (a duplicate message's attempt is not reported). */
  attempted(report: AttemptReport): Promise<void>;
  /** After a dead letter ended a delivery and counted a failure against its webhook. */
  deadLettered(org: string, webhookId: string, now: Date): Promise<void>;
}

/** Only these effects can disable a webhook. */
const mayDisable = (effect: WebhookEffect) => effect.kind === "gone" || effect.kind === "failure";

export function endpointHooks(env: Env, db: Db): EndpointHooks {
  return {
    async attempted(report) {
      writeAttemptMetric(env.DELIVERY_ANALYTICS, report);
      if (mayDisable(report.effect)) await announceIfDisabled(db, env.DELIVERY_QUEUE, report.org, report.webhookId, report.at);
    },
    async deadLettered(org, webhookId, now) {
      await announceIfDisabled(db, env.DELIVERY_QUEUE, org, webhookId, now);
    },
  };
}
