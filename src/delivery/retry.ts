// The retry schedule, pure: the delay before retry n is base·2^(n-1) seconds (5, 10, 20, 40 by
// default); a receiver's Retry-After on 429/503 can lengthen a delay but never shorten it.

/** Retry-After is honoured up to an hour: a receiver cannot park a delivery for days. */
export const RETRY_AFTER_CAP_SECONDS = 60 * 60;
/** Cloudflare Queues accept at most 12 h for `retry({delaySeconds})`. */
export const QUEUE_MAX_DELAY_SECONDS = 12 * 60 * 60;

export interface RetryPolicy {
  maxAttempts: number;
  baseSeconds: number;
}

/** Delay before retry n (n = 1 after the first failed attempt). */
export function backoffSeconds(retry: number, baseSeconds: number): number {
  const n = Math.max(1, Math.floor(retry));
  return Math.min(baseSeconds * 2 ** (n - 1), QUEUE_MAX_DELAY_SECONDS);
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
export function nextStep(policy: RetryPolicy, attemptInSchedule: number, retryAfterSeconds?: number): NextStep {
  if (attemptInSchedule >= policy.maxAttempts) return { final: true };
  const backoff = backoffSeconds(attemptInSchedule, policy.baseSeconds);
  const asked = retryAfterSeconds === undefined ? 0 : Math.min(retryAfterSeconds, RETRY_AFTER_CAP_SECONDS);
  return { final: false, delaySeconds: Math.max(backoff, asked) };
}
