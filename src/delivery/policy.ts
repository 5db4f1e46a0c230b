// Delivery policy, pure: how an attempt's answer is classified, and what follows it (success,
// give up, or retry after how long), with no I/O, so every case is a row in a table test.
//
// The delay before retry n is base·2^(n-1) seconds (5, 10, 20, 40 by default), spread by ±20 %
// jitter so deliveries that failed together (an endpoint's outage) do not all come back in one
// synchronised wave; a receiver's Retry-After on 429/503 can lengthen a delay, never shorten it.
import type { WebhookEffect } from "../db/repositories/webhooks";
import type { DeliveryStatus } from "../db/schema";

/** Retry-After is honoured up to an hour: a receiver cannot park a delivery for days. */
export const RETRY_AFTER_CAP_SECONDS = 60 * 60;
/** Cloudflare Queues accept at most 12 h for `retry({delaySeconds})`. */
export const QUEUE_MAX_DELAY_SECONDS = 12 * 60 * 60;
/** Each backoff delay is scaled by a factor drawn from [1 - JITTER, 1 + JITTER). */
export const JITTER = 0.2;

/** A source of uniform numbers in [0, 1): Math.random in production, a constant in tests. */
export type Random = () => number;

export interface RetryPolicy {
  maxAttempts: number;
  baseSeconds: number;
}

/** Delay before retry n (n = 1 after the first failed attempt), before jitter. */
export function backoffSeconds(retry: number, baseSeconds: number): number {
  const n = Math.max(1, Math.floor(retry));
  return Math.min(baseSeconds * 2 ** (n - 1), QUEUE_MAX_DELAY_SECONDS);
}

/** `seconds` scaled by a random factor within ±JITTER, whole seconds, at least 1, within the queue's limit. */
export function jittered(seconds: number, random: Random): number {
  const factor = 1 + JITTER * (2 * random() - 1);
  return Math.min(Math.max(1, Math.round(seconds * factor)), QUEUE_MAX_DELAY_SECONDS);
}

/** Retry-After as seconds from `now`: delta-seconds or an HTTP date; undefined when absent or unusable. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // Only an HTTP-date (it names a day and month); Date.parse alone would take "-5" or "1.5" as dates.
  if (!/^[A-Za-z]{3},/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

export type NextStep = { final: true } | { final: false; delaySeconds: number };

/**
 * What follows a failed attempt. `attemptInSchedule` counts from 1 within the current schedule
 * (a manual retry starts a fresh one), so the last of `maxAttempts` attempts is final.
 */
export function nextStep(policy: RetryPolicy, attemptInSchedule: number, random: Random, retryAfterSeconds?: number): NextStep {
  if (attemptInSchedule >= policy.maxAttempts) return { final: true };
  const backoff = jittered(backoffSeconds(attemptInSchedule, policy.baseSeconds), random);
  const asked = retryAfterSeconds === undefined ? 0 : Math.min(retryAfterSeconds, RETRY_AFTER_CAP_SECONDS);
  return { final: false, delaySeconds: Math.max(backoff, asked) };
}

/** What an HTTP answer means for the delivery: done, endpoint gone for good, or worth another try. */
export type OutcomeKind = "succeeded" | "gone" | "retryable";

export interface Classified {
  kind: OutcomeKind;
  error: string | null;
  /** Seconds a 429/503 asked us to wait. */
  retryAfterSeconds?: number;
}

/** Classifies a receiver's answer by its status (and Location / Retry-After headers). Redirects are never followed. */
export function classifyResponse(status: number, headers: Headers, now: Date): Classified {
  if (status >= 200 && status < 300) return { kind: "succeeded", error: null };
  if (status >= 300 && status < 400) {
    const location = headers.get("location");
    return { kind: "retryable", error: `redirect (${status}) not followed${location ? `: ${location.slice(0, 200)}` : ""}` };
  }
  if (status === 410) return { kind: "gone", error: "endpoint answered 410 Gone" };
  if (status === 429 || status === 503) {
    return { kind: "retryable", error: `HTTP ${status}`, retryAfterSeconds: parseRetryAfter(headers.get("retry-after"), now) };
  }
  return { kind: "retryable", error: `HTTP ${status}` };
}

/** What the queue does with the message: done, try again later, or done and dead-lettered. */
export type Disposition = { kind: "ack" } | { kind: "retry"; delaySeconds: number } | { kind: "dead-letter" };

export interface Decision {
  status: DeliveryStatus;
  disposition: Disposition;
  webhook: WebhookEffect;
}

export interface AttemptPolicy extends RetryPolicy {
  /** Consecutive failed deliveries that disable a webhook. */
  disableAfter: number;
}

const ACK: Disposition = { kind: "ack" };

/**
 * The verdict on one attempt. `refused` is an attempt our URL policy stopped before sending:
 * retrying cannot help until someone changes the URL or the policy.
 */
export function decideAttempt(
  policy: AttemptPolicy,
  outcome: { kind: OutcomeKind | "refused"; retryAfterSeconds?: number },
  attemptInSchedule: number,
  random: Random,
): Decision {
  const failure: WebhookEffect = { kind: "failure", disableAfter: policy.disableAfter };
  switch (outcome.kind) {
    case "succeeded":
      return { status: "succeeded", disposition: ACK, webhook: { kind: "success" } };
    case "gone":
      return { status: "failed", disposition: ACK, webhook: { kind: "gone", reason: "endpoint answered 410 Gone" } };
    case "refused":
      return { status: "failed", disposition: ACK, webhook: failure };
    case "retryable": {
      const step = nextStep(policy, attemptInSchedule, random, outcome.retryAfterSeconds);
      if (step.final) return { status: "failed", disposition: { kind: "dead-letter" }, webhook: failure };
      return { status: "pending", disposition: { kind: "retry", delaySeconds: step.delaySeconds }, webhook: { kind: "none" } };
    }
  }
}
