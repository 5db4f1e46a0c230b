// Handler-unit tests: one outcome class per test, through the real queue handler with a stubbed
// fetch and clock, asserting the queue verdict, the delivery row, the attempt log and the webhook.
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { SNIPPET_MAX_BYTES, USER_AGENT } from "../../src/delivery/deliver";
import packageJson from "../../package.json";
import { attemptRows, deliveryRow, envWith, NOW, runBatch, seedDelivery, stubFetch, webhookRow } from "../support";

const status =
  (code: number, headers: Record<string, string> = {}, body = "") =>
  () =>
    new Response(body || null, { status: code, headers });

describe("2xx", () => {
  it("marks the delivery succeeded with a verifiable, contract-shaped request", async () => {
    const seed = await seedDelivery({ headers: { "x-clinic": "north", "webhook-id": "spoofed" }, consecutiveFailures: 3 });
    const { fetch, calls } = stubFetch(() => new Response("thanks", { status: 200 }));
    const result = await runBatch([seed.message], fetch, { now: () => new Date() });

    expect(result.explicitAcks).toEqual(["m0"]);
    expect(result.retryMessages).toEqual([]);
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    expect(call.url).toBe("https://receiver.example.com/hooks");
    expect(call.init.method).toBe("POST");
    expect(call.init.redirect).toBe("manual");
    expect(call.init.signal).toBeInstanceOf(AbortSignal);
    expect(call.headers.get("content-type")).toBe("application/json");
    expect(call.headers.get("user-agent")).toBe(`PurpleCross-Webhooks/${packageJson.version}`);
    expect(USER_AGENT).toBe(`PurpleCross-Webhooks/${packageJson.version}`);
    expect(call.headers.get("x-clinic")).toBe("north");
    // The webhook's own headers cannot replace the signed ones.
    expect(call.headers.get("webhook-id")).toBe(seed.eventId);
    expect(JSON.parse(call.body)).toEqual({
      id: seed.eventId,
      type: "patient.created",
      timestamp: seed.eventCreatedAt.toISOString(),
      data: { patientId: "pat_1", name: "Rex" },
    });
    expect(call.headers.get("webhook-signature")!.split(" ")).toHaveLength(1);
    expect(new Webhook(seed.secret).verify(call.body, Object.fromEntries(call.headers))).toBeTruthy();

    const row = await deliveryRow(seed.deliveryId);
    expect(row).toMatchObject({ status: "succeeded", attempts: 1, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
    expect(row.deliveredAt).toBeInstanceOf(Date);
    const [attempt] = await attemptRows(seed.deliveryId);
    expect(attempt).toMatchObject({ attempt: 1, statusCode: 200, error: null, responseSnippet: "thanks" });
    expect(attempt!.durationMs).toBeGreaterThanOrEqual(0);
    expect((await webhookRow(seed.webhookId)).consecutiveFailures).toBe(0);
  });

  it("signs with the previous secret too while its grace lasts, not after", async () => {
    const previous = `whsec_${btoa("p".repeat(32))}`;
    const live = await seedDelivery({ previous: { secret: previous, expiresAt: new Date(Date.now() + 3_600_000) } });
    const expired = await seedDelivery({ previous: { secret: previous, expiresAt: new Date(Date.now() - 1000) } });
    const { fetch, calls } = stubFetch(() => new Response("ok"));
    await runBatch([live.message], fetch, { now: () => new Date() });
    await runBatch([expired.message], fetch, { now: () => new Date() });

    const [rotating, single] = calls;
    expect(rotating!.headers.get("webhook-signature")!.split(" ")).toHaveLength(2);
    expect(new Webhook(live.secret).verify(rotating!.body, Object.fromEntries(rotating!.headers))).toBeTruthy();
    expect(new Webhook(previous).verify(rotating!.body, Object.fromEntries(rotating!.headers))).toBeTruthy();
    expect(single!.headers.get("webhook-signature")!.split(" ")).toHaveLength(1);
    expect(() => new Webhook(previous).verify(single!.body, Object.fromEntries(single!.headers))).toThrow();
  });

  it("keeps at most 1 KiB of a large answer", async () => {
    const seed = await seedDelivery();
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new TextEncoder().encode("é".repeat(300)));
      },
    });
    const { fetch } = stubFetch(() => new Response(endless, { status: 200 }));
    await runBatch([seed.message], fetch);
    const [attempt] = await attemptRows(seed.deliveryId);
    expect(new TextEncoder().encode(attempt!.responseSnippet!).byteLength).toBeLessThanOrEqual(SNIPPET_MAX_BYTES);
    expect(attempt!.responseSnippet!.length).toBeGreaterThan(400);
    expect(attempt!.responseSnippet).not.toContain("\uFFFD");
    expect(pulled).toBeLessThan(5);
  });
});

describe("failures that retry", () => {
  it.each([
    ["3xx, not followed", status(302, { location: "https://elsewhere.example/" }), 302, /redirect \(302\) not followed: https:\/\/elsewhere/],
    ["4xx", status(400, {}, "bad payload"), 400, /HTTP 400/],
    ["5xx", status(500), 500, /HTTP 500/],
    ["429 without Retry-After", status(429), 429, /HTTP 429/],
  ])("%s: retries after 5 s and records the attempt", async (_name, respond, code, error) => {
    const seed = await seedDelivery();
    const { fetch, calls } = stubFetch(respond);
    const result = await runBatch([seed.message], fetch);
    expect(calls).toHaveLength(1);
    expect(result.retryMessages).toEqual([{ msgId: "m0", delaySeconds: 5 }]);
    const row = await deliveryRow(seed.deliveryId);
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: code });
    expect(row.lastError).toMatch(error);
    expect(row.nextAttemptAt!.getTime()).toBe(NOW.getTime() + 5000);
    expect(await attemptRows(seed.deliveryId)).toMatchObject([{ attempt: 1, statusCode: code }]);
  });

  it("follows the schedule: attempt 3 of 5 waits 20 s", async () => {
    const seed = await seedDelivery({ attempts: 2 });
    const result = await runBatch([seed.message], stubFetch(status(500)).fetch);
    expect(result.retryMessages).toEqual([{ msgId: "m0", delaySeconds: 20 }]);
    expect(await attemptRows(seed.deliveryId)).toMatchObject([{ attempt: 3 }]);
  });

  it("429/503 with Retry-After wait at least that long, at most an hour", async () => {
    const a = await seedDelivery();
    const b = await seedDelivery();
    const c = await seedDelivery();
    await expect(runBatch([a.message], stubFetch(status(429, { "retry-after": "120" })).fetch)).resolves.toMatchObject({
      retryMessages: [{ delaySeconds: 120 }],
    });
    const at = new Date(NOW.getTime() + 300_000).toUTCString();
    await expect(runBatch([b.message], stubFetch(status(503, { "retry-after": at })).fetch)).resolves.toMatchObject({
      retryMessages: [{ delaySeconds: 300 }],
    });
    await expect(runBatch([c.message], stubFetch(status(503, { "retry-after": "999999" })).fetch)).resolves.toMatchObject({
      retryMessages: [{ delaySeconds: 3600 }],
    });
    expect((await deliveryRow(a.deliveryId)).nextAttemptAt!.getTime()).toBe(NOW.getTime() + 120_000);
  });

  it("a timeout (no headers in time) is a retried failure", async () => {
    const seed = await seedDelivery();
    const { fetch } = stubFetch(() => new Promise<Response>(() => {}));
    const result = await runBatch([seed.message], fetch, { env: envWith({ WEBHOOK_TIMEOUT_MS: "30" }) });
    expect(result.retryMessages).toEqual([{ msgId: "m0", delaySeconds: 5 }]);
    expect(await deliveryRow(seed.deliveryId)).toMatchObject({ status: "pending", lastStatusCode: null, lastError: "timeout after 30 ms" });
  });

  it("the deadline covers the body: a 200 whose body stalls is a timeout", async () => {
    const seed = await seedDelivery();
    const stalled = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode("par")) });
    const { fetch } = stubFetch(() => new Response(stalled, { status: 200 }));
    const result = await runBatch([seed.message], fetch, { env: envWith({ WEBHOOK_TIMEOUT_MS: "30" }) });
    expect(result.retryMessages).toHaveLength(1);
    const row = await deliveryRow(seed.deliveryId);
    expect(row).toMatchObject({ status: "pending", lastStatusCode: 200, deliveredAt: null });
    expect(row.lastError).toMatch(/timeout after 30 ms reading the response body/);
  });

  it("a connection error is a retried failure", async () => {
    const seed = await seedDelivery();
    const { fetch } = stubFetch(() => Promise.reject(new TypeError("Network connection lost.")));
    const result = await runBatch([seed.message], fetch);
    expect(result.retryMessages).toEqual([{ msgId: "m0", delaySeconds: 5 }]);
    expect((await deliveryRow(seed.deliveryId)).lastError).toBe("connection error before any response: Network connection lost.");
  });

  it("a connection reset mid-body says so, with the status that had arrived, and is retried", async () => {
    const seed = await seedDelivery();
    const broken = new ReadableStream<Uint8Array>({
      start: (c) => c.enqueue(new TextEncoder().encode("par")),
      pull: (c) => c.error(new TypeError("Network connection lost.")),
    });
    const { fetch } = stubFetch(() => new Response(broken, { status: 200 }));
    const result = await runBatch([seed.message], fetch);
    expect(result.retryMessages).toEqual([{ msgId: "m0", delaySeconds: 5 }]);
    expect(await deliveryRow(seed.deliveryId)).toMatchObject({
      status: "pending",
      lastStatusCode: 200,
      lastError: "connection lost reading the response body after HTTP 200: Network connection lost.",
    });
  });
});

describe("failures that end the delivery", () => {
  it("410 Gone disables the webhook at once", async () => {
    const seed = await seedDelivery();
    const result = await runBatch([seed.message], stubFetch(status(410)).fetch);
    expect(result.explicitAcks).toEqual(["m0"]);
    expect(result.retryMessages).toEqual([]);
    expect(await deliveryRow(seed.deliveryId)).toMatchObject({ status: "failed", lastStatusCode: 410, nextAttemptAt: null });
    expect(await webhookRow(seed.webhookId)).toMatchObject({ active: false, disabledReason: "endpoint answered 410 Gone" });
  });

  it("the last attempt fails the delivery and dead-letters the message", async () => {
    const seed = await seedDelivery({ attempts: 4, consecutiveFailures: 2 });
    const sent: unknown[] = [];
    const deadLetters = { send: async (body: unknown) => void sent.push(body) } as unknown as Queue;
    const result = await runBatch([seed.message], stubFetch(status(500)).fetch, { env: envWith({ DEAD_LETTER_QUEUE: deadLetters }) });
    expect(result.explicitAcks).toEqual(["m0"]);
    expect(result.retryMessages).toEqual([]);
    // Marked: the dead-letter consumer leaves a delivery it names alone (it has already ended).
    expect(sent).toEqual([{ ...seed.message, exhausted: true }]);
    expect(await deliveryRow(seed.deliveryId)).toMatchObject({ status: "failed", attempts: 5, nextAttemptAt: null });
    expect((await webhookRow(seed.webhookId)).consecutiveFailures).toBe(3);
  });

  it("a manual retry's schedule counts from schedule_start", async () => {
    const seed = await seedDelivery({ attempts: 5, scheduleStart: 5 });
    const result = await runBatch([seed.message], stubFetch(status(500)).fetch);
    expect(result.retryMessages).toEqual([{ msgId: "m0", delaySeconds: 5 }]);
    expect(await attemptRows(seed.deliveryId)).toMatchObject([{ attempt: 6 }]);
  });

  it("WEBHOOK_DISABLE_AFTER_FAILURES consecutive failed deliveries disable the webhook", async () => {
    const seed = await seedDelivery({ attempts: 4, consecutiveFailures: 19 });
    const deadLetters = { send: async () => {} } as unknown as Queue;
    await runBatch([seed.message], stubFetch(status(500)).fetch, { env: envWith({ DEAD_LETTER_QUEUE: deadLetters }) });
    expect(await webhookRow(seed.webhookId)).toMatchObject({
      active: false,
      consecutiveFailures: 20,
      disabledReason: "disabled after 20 consecutive failed deliveries",
    });
  });

  it("a URL the policy now refuses fails without a fetch or a retry", async () => {
    const seed = await seedDelivery({ url: "http://169.254.169.254/latest/meta-data" });
    const { fetch, calls } = stubFetch(status(200));
    const result = await runBatch([seed.message], fetch);
    expect(calls).toHaveLength(0);
    expect(result.explicitAcks).toEqual(["m0"]);
    const row = await deliveryRow(seed.deliveryId);
    expect(row).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: null });
    expect(row.lastError).toMatch(/^URL refused: /);
  });
});
