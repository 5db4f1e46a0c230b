import { describe, expect, it } from "vitest";
import { backoffSeconds, nextStep, parseRetryAfter, QUEUE_MAX_DELAY_SECONDS, RETRY_AFTER_CAP_SECONDS } from "../../src/delivery/retry";

const policy = { maxAttempts: 5, baseSeconds: 5 };
const now = new Date("2026-03-01T12:00:00Z");

describe("backoffSeconds", () => {
  it("doubles from the base: 5, 10, 20, 40", () => {
    expect([1, 2, 3, 4].map((n) => backoffSeconds(n, 5))).toEqual([5, 10, 20, 40]);
    expect([1, 2, 3].map((n) => backoffSeconds(n, 2))).toEqual([2, 4, 8]);
  });

  it("never exceeds what a queue retry accepts", () => {
    expect(backoffSeconds(40, 5)).toBe(QUEUE_MAX_DELAY_SECONDS);
  });
});

describe("nextStep", () => {
  it("retries after attempts 1-4 with the schedule and is final at attempt 5", () => {
    expect([1, 2, 3, 4].map((a) => nextStep(policy, a))).toEqual([5, 10, 20, 40].map((d) => ({ final: false, delaySeconds: d })));
    expect(nextStep(policy, 5)).toEqual({ final: true });
    expect(nextStep(policy, 6)).toEqual({ final: true });
    expect(nextStep({ maxAttempts: 1, baseSeconds: 5 }, 1)).toEqual({ final: true });
  });

  it("lets Retry-After lengthen a delay, never shorten it, capped at an hour", () => {
    expect(nextStep(policy, 1, 120)).toEqual({ final: false, delaySeconds: 120 });
    expect(nextStep(policy, 3, 1)).toEqual({ final: false, delaySeconds: 20 });
    expect(nextStep(policy, 1, 86_400)).toEqual({ final: false, delaySeconds: RETRY_AFTER_CAP_SECONDS });
  });

  it("does not let Retry-After postpone the final attempt's verdict", () => {
    expect(nextStep(policy, 5, 60)).toEqual({ final: true });
  });
});

describe("parseRetryAfter", () => {
  it("reads delta-seconds and HTTP dates", () => {
    expect(parseRetryAfter("30", now)).toBe(30);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Sun, 01 Mar 2026 12:01:30 GMT", now)).toBe(90);
    expect(parseRetryAfter("Sun, 01 Mar 2026 11:00:00 GMT", now)).toBe(0);
  });

  it("ignores absent and garbage values", () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("", now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
    expect(parseRetryAfter("1.5", now)).toBeUndefined();
  });
});
