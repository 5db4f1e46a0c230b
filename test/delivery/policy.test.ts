// The delivery policy, pure: classification of an answer, the retry decision and its jitter,
// one table row per case.
import { describe, expect, it } from "vitest";
import {
  type AttemptPolicy,
  backoffSeconds,
  classifyResponse,
  decideAttempt,
  JITTER,
  jittered,
  nextStep,
  parseRetryAfter,
  QUEUE_MAX_DELAY_SECONDS,
  RETRY_AFTER_CAP_SECONDS,
} from "../../src/delivery/policy";

const policy: AttemptPolicy = { maxAttempts: 5, baseSeconds: 5, disableAfter: 20 };
const now = new Date("2026-03-01T12:00:00Z");
/** The middle of [0, 1): a jitter factor of exactly 1. */
const noJitter = () => 0.5;

describe("backoffSeconds", () => {
  it("doubles from the base: 5, 10, 20, 40", () => {
    expect([1, 2, 3, 4].map((n) => backoffSeconds(n, 5))).toEqual([5, 10, 20, 40]);
    expect([1, 2, 3].map((n) => backoffSeconds(n, 2))).toEqual([2, 4, 8]);
  });

  it("never exceeds what a queue retry accepts", () => {
    expect(backoffSeconds(40, 5)).toBe(QUEUE_MAX_DELAY_SECONDS);
  });
});

describe("jittered", () => {
  it.each<[string, number, number, number]>([
    ["the lowest draw", 0, 100, 80],
    ["the middle draw", 0.5, 100, 100],
    ["the highest draw", 0.999_999, 100, 120],
    ["a quarter", 0.25, 40, 36],
    ["never below a second", 0, 1, 1],
    ["never past the queue's limit", 0.999_999, QUEUE_MAX_DELAY_SECONDS, QUEUE_MAX_DELAY_SECONDS],
  ])("%s: random %d on %d s gives %d s", (_, draw, seconds, expected) => {
    expect(jittered(seconds, () => draw)).toBe(expected);
  });

  it("stays within ±20 % for any draw", () => {
    expect(JITTER).toBe(0.2);
    for (let draw = 0; draw < 1; draw += 0.01) {
      const delay = jittered(1000, () => draw);
      expect(delay).toBeGreaterThanOrEqual(800);
      expect(delay).toBeLessThanOrEqual(1200);
    }
  });
});

describe("nextStep", () => {
  it("retries after attempts 1-4 with the schedule and is final at attempt 5", () => {
    expect([1, 2, 3, 4].map((a) => nextStep(policy, a, noJitter))).toEqual([5, 10, 20, 40].map((d) => ({ final: false, delaySeconds: d })));
    expect(nextStep(policy, 5, noJitter)).toEqual({ final: true });
    expect(nextStep(policy, 6, noJitter)).toEqual({ final: true });
    expect(nextStep({ maxAttempts: 1, baseSeconds: 5 }, 1, noJitter)).toEqual({ final: true });
  });

  it("jitters the backoff", () => {
    expect(nextStep(policy, 4, () => 0)).toEqual({ final: false, delaySeconds: 32 });
    expect(nextStep(policy, 4, () => 0.999_999)).toEqual({ final: false, delaySeconds: 48 });
  });

  it("lets Retry-After lengthen a delay, never shorten it (jitter included), capped at an hour", () => {
    expect(nextStep(policy, 1, noJitter, 120)).toEqual({ final: false, delaySeconds: 120 });
    expect(nextStep(policy, 1, () => 0.999_999, 120)).toEqual({ final: false, delaySeconds: 120 });
    expect(nextStep(policy, 3, noJitter, 1)).toEqual({ final: false, delaySeconds: 20 });
    expect(nextStep(policy, 1, noJitter, 86_400)).toEqual({ final: false, delaySeconds: RETRY_AFTER_CAP_SECONDS });
  });

  it("does not let Retry-After postpone the final attempt's verdict", () => {
    expect(nextStep(policy, 5, noJitter, 60)).toEqual({ final: true });
  });
});

describe("parseRetryAfter", () => {
  it.each<[string | null, number | undefined]>([
    ["30", 30],
    [" 0 ", 0],
    ["Sun, 01 Mar 2026 12:01:30 GMT", 90],
    ["Sun, 01 Mar 2026 11:00:00 GMT", 0],
    [null, undefined],
    ["", undefined],
    ["soon", undefined],
    ["-5", undefined],
    ["1.5", undefined],
  ])("%j → %j", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe("classifyResponse", () => {
  it.each<[number, Record<string, string>, ReturnType<typeof classifyResponse>]>([
    [200, {}, { kind: "succeeded", error: null }],
    [204, {}, { kind: "succeeded", error: null }],
    [299, {}, { kind: "succeeded", error: null }],
    [
      301,
      { location: "https://elsewhere.example/hook" },
      { kind: "retryable", error: "redirect (301) not followed: https://elsewhere.example/hook" },
    ],
    [302, {}, { kind: "retryable", error: "redirect (302) not followed" }],
    [400, {}, { kind: "retryable", error: "HTTP 400" }],
    [404, {}, { kind: "retryable", error: "HTTP 404" }],
    [410, {}, { kind: "gone", error: "endpoint answered 410 Gone" }],
    [429, { "retry-after": "120" }, { kind: "retryable", error: "HTTP 429", retryAfterSeconds: 120 }],
    [429, {}, { kind: "retryable", error: "HTTP 429", retryAfterSeconds: undefined }],
    [500, { "retry-after": "120" }, { kind: "retryable", error: "HTTP 500" }],
    [503, { "retry-after": "Sun, 01 Mar 2026 12:00:10 GMT" }, { kind: "retryable", error: "HTTP 503", retryAfterSeconds: 10 }],
  ])("%i %j", (status, headers, expected) => {
    expect(classifyResponse(status, new Headers(headers), now)).toEqual(expected);
  });
});

describe("decideAttempt", () => {
  const failure = { kind: "failure", disableAfter: 20 } as const;
  it.each<[string, Parameters<typeof decideAttempt>[1], number, ReturnType<typeof decideAttempt>]>([
    ["a success", { kind: "succeeded" }, 1, { status: "succeeded", disposition: { kind: "ack" }, webhook: { kind: "success" } }],
    [
      "410 Gone",
      { kind: "gone" },
      1,
      { status: "failed", disposition: { kind: "ack" }, webhook: { kind: "gone", reason: "endpoint answered 410 Gone" } },
    ],
    ["a URL the policy refuses", { kind: "refused" }, 1, { status: "failed", disposition: { kind: "ack" }, webhook: failure }],
    ["a first failure", { kind: "retryable" }, 1, { status: "pending", disposition: { kind: "retry", delaySeconds: 5 }, webhook: { kind: "none" } }],
    [
      "a failure asking for a minute",
      { kind: "retryable", retryAfterSeconds: 60 },
      2,
      { status: "pending", disposition: { kind: "retry", delaySeconds: 60 }, webhook: { kind: "none" } },
    ],
    ["the last attempt failing", { kind: "retryable" }, 5, { status: "failed", disposition: { kind: "dead-letter" }, webhook: failure }],
  ])("%s", (_, outcome, attemptInSchedule, expected) => {
    expect(decideAttempt(policy, outcome, attemptInSchedule, noJitter)).toEqual(expected);
  });
});
