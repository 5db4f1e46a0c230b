// Handler-unit tests for the messages that must NOT become a normal attempt: malformed, stale,
// duplicated, for a deleted or disabled webhook; the dead-letter consumer; batch concurrency.
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { webhooks } from "../../src/db/schema";
import { resetForRetry } from "../../src/db/repositories/deliveries";
import { attemptRows, db, deliveryRow, envWith, NOW, recordingQueue, runBatch, seedDelivery, stubFetch, webhookRow } from "../support";

const ok = () => new Response("ok");

/**
 * A D1 binding whose first round trip carrying a statement that matches `sql` fails (as a lost
 * connection would), statement by statement or in a batch; every other round trip goes through.
 */
function failingOnce(binding: D1Database, sql: RegExp) {
  const sqlOf = new WeakMap<object, string>();
  // The real batch takes the real statements, not their proxies.
  const unwrapped = new WeakMap<object, D1PreparedStatement>();
  let failed = false;
  const refuse = (statements: object[]) => {
    if (failed || !statements.some((st) => sql.test(sqlOf.get(st) ?? ""))) return;
    failed = true;
    throw new Error("D1_ERROR: simulated network connection lost");
  };
  const statement = (st: D1PreparedStatement, text: string): D1PreparedStatement => {
    const wrapped = new Proxy(st, {
      get(target, prop) {
        const value = Reflect.get(target, prop) as unknown;
        if (typeof value !== "function") return value;
        if (prop === "bind") return (...args: unknown[]) => statement(value.apply(target, args), text);
        if (["all", "run", "raw", "first"].includes(String(prop))) {
          return (...args: unknown[]) => {
            refuse([wrapped]);
            return value.apply(target, args);
          };
        }
        return value.bind(target);
      },
    });
    sqlOf.set(wrapped, text);
    unwrapped.set(wrapped, st);
    return wrapped;
  };
  const d1 = new Proxy(binding, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== "function") return value;
      if (prop === "prepare") return (text: string) => statement(value.call(target, text), text);
      if (prop === "batch")
        return (statements: D1PreparedStatement[]) => {
          refuse(statements);
          return value.call(
            target,
            statements.map((st) => unwrapped.get(st) ?? st),
          );
        };
      return value.bind(target);
    },
  });
  return { d1, failed: () => failed };
}

describe("messages that are acked without an attempt", () => {
  it.each([
    ["not an object", "hello"],
    ["wrong version", { v: 2, deliveryId: "msg_x", org: "o" }],
    ["missing org", { v: 1, deliveryId: "msg_x" }],
  ])("a malformed message (%s) is acked, never retried", async (_name, body) => {
    const { fetch, calls } = stubFetch(ok);
    const result = await runBatch([body], fetch);
    expect(result.explicitAcks).toEqual(["m0"]);
    expect(result.retryMessages).toEqual([]);
    expect(calls).toHaveLength(0);
  });

  it("a delivery that does not exist, or belongs to another org, is acked untouched", async () => {
    const seed = await seedDelivery();
    const { fetch, calls } = stubFetch(ok);
    const result = await runBatch(
      [
        { v: 1, deliveryId: "msg_nope", org: seed.org },
        { ...seed.message, org: "someone-else" },
      ],
      fetch,
    );
    expect(result.explicitAcks.sort()).toEqual(["m0", "m1"]);
    expect(calls).toHaveLength(0);
    expect(await deliveryRow(seed.deliveryId)).toMatchObject({ status: "pending", attempts: 0 });
  });

  it("a deleted webhook fails its pending delivery with 'webhook deleted'", async () => {
    const seed = await seedDelivery({ withoutWebhook: true });
    const { fetch, calls } = stubFetch(ok);
    const result = await runBatch([seed.message], fetch);
    expect(result.explicitAcks).toEqual(["m0"]);
    expect(calls).toHaveLength(0);
    expect(await deliveryRow(seed.deliveryId)).toMatchObject({ status: "failed", attempts: 0, lastError: "webhook deleted" });
  });

  it("a disabled webhook fails its pending delivery visibly, without counting a failure", async () => {
    const seed = await seedDelivery({ active: false, consecutiveFailures: 4 });
    await db.update(webhooks).set({ disabledReason: "endpoint answered 410 Gone" }).where(eq(webhooks.id, seed.webhookId));
    const { fetch, calls } = stubFetch(ok);
    await runBatch([seed.message], fetch);
    expect(calls).toHaveLength(0);
    expect(await deliveryRow(seed.deliveryId)).toMatchObject({ status: "failed", lastError: "webhook disabled: endpoint answered 410 Gone" });
    expect((await webhookRow(seed.webhookId)).consecutiveFailures).toBe(4);
  });

  it("a delivery that already ended is acked without a second request", async () => {
    const seed = await seedDelivery();
    const { fetch, calls } = stubFetch(ok);
    await runBatch([seed.message], fetch);
    const again = await runBatch([seed.message], fetch);
    expect(again.explicitAcks).toEqual(["m0"]);
    expect(calls).toHaveLength(1);
    expect(await attemptRows(seed.deliveryId)).toHaveLength(1);
  });
});

describe("duplicate messages", () => {
  it("two copies in one batch record one attempt", async () => {
    const seed = await seedDelivery();
    const { fetch } = stubFetch(() => new Response("fail", { status: 500 }));
    const result = await runBatch([seed.message, seed.message], fetch);
    expect(await attemptRows(seed.deliveryId)).toHaveLength(1);
    expect(await deliveryRow(seed.deliveryId)).toMatchObject({ attempts: 1, status: "pending" });
    // Exactly one copy carries the retry; the other is acked as the duplicate it is.
    expect(result.retryMessages).toHaveLength(1);
    expect(result.explicitAcks).toHaveLength(1);
  });

  it("a duplicate copy does not roll back the other messages' attempts in the same batch", async () => {
    const seed = await seedDelivery();
    const other = await seedDelivery();
    const { fetch } = stubFetch(() => new Response("ok"));
    const result = await runBatch([seed.message, seed.message, other.message], fetch);
    expect(result.explicitAcks.sort()).toEqual(["m0", "m1", "m2"]);
    expect(await attemptRows(seed.deliveryId)).toMatchObject([{ attempt: 1, statusCode: 200 }]);
    expect(await attemptRows(other.deliveryId)).toMatchObject([{ attempt: 1, statusCode: 200 }]);
    expect(await deliveryRow(seed.deliveryId)).toMatchObject({ attempts: 1, status: "succeeded" });
    expect(await deliveryRow(other.deliveryId)).toMatchObject({ attempts: 1, status: "succeeded" });
  });

  it("a copy arriving before the scheduled retry is acked without a request", async () => {
    const seed = await seedDelivery();
    const first = stubFetch(() => new Response("fail", { status: 503 }));
    await runBatch([seed.message], first.fetch);
    const copy = stubFetch(ok);
    const result = await runBatch([seed.message], copy.fetch, { now: () => new Date(NOW.getTime() + 1000) });
    expect(copy.calls).toHaveLength(0);
    expect(result.explicitAcks).toEqual(["m0"]);
    expect(await deliveryRow(seed.deliveryId)).toMatchObject({ attempts: 1, status: "pending" });
    // When the retry is due, it goes ahead.
    await runBatch([seed.message], copy.fetch, { now: () => new Date(NOW.getTime() + 5000) });
    expect(await deliveryRow(seed.deliveryId)).toMatchObject({ attempts: 2, status: "succeeded" });
  });
});

describe("our own failures", () => {
  it("a secret that cannot be decrypted retries the message with backoff and records no attempt", async () => {
    const seed = await seedDelivery();
    await db.update(webhooks).set({ secretEnc: "v1.garbage.garbage" }).where(eq(webhooks.id, seed.webhookId));
    const { fetch, calls } = stubFetch(ok);
    const result = await runBatch([seed.message], fetch, { attempts: 3 });
    expect(calls).toHaveLength(0);
    expect(result.retryMessages).toEqual([{ msgId: "m0", delaySeconds: 20 }]);
    expect(await deliveryRow(seed.deliveryId)).toMatchObject({ status: "pending", attempts: 0 });
  });

  it("a batch from an unknown queue is retried whole, not dropped", async () => {
    const result = await runBatch([{ v: 1, deliveryId: "msg_x", org: "o" }], stubFetch(ok).fetch, { queue: "some-other-queue" });
    expect(result.retryBatch.retry).toBe(true);
  });
});

describe("dead-letter consumer", () => {
  it("ends a still-pending delivery failed once, counting one webhook failure", async () => {
    const seed = await seedDelivery({ attempts: 2, consecutiveFailures: 1 });
    const first = await runBatch([seed.message, seed.message], stubFetch(ok).fetch, { queue: "pca-deliveries-dlq" });
    expect(first.explicitAcks.sort()).toEqual(["m0", "m1"]);
    await runBatch([seed.message], stubFetch(ok).fetch, { queue: "pca-deliveries-dlq" });
    const row = await deliveryRow(seed.deliveryId);
    expect(row).toMatchObject({ status: "failed", attempts: 2, nextAttemptAt: null });
    expect(row.lastError).toMatch(/dead-lettered/);
    expect((await webhookRow(seed.webhookId)).consecutiveFailures).toBe(2);
  });

  it("a write that fails changes nothing: the retry both ends the delivery and counts the failure", async () => {
    const seed = await seedDelivery({ attempts: 2, consecutiveFailures: 1 });
    // D1 refuses, once, any round trip that would move the webhook's failure counter.
    const flaky = failingOnce(env.DB, /^update "webhooks"/);
    const first = await runBatch([seed.message], stubFetch(ok).fetch, { queue: "pca-deliveries-dlq", env: envWith({ DB: flaky.d1 }) });
    expect(flaky.failed()).toBe(true);
    expect(first.retryMessages.map((m) => m.msgId)).toEqual(["m0"]);
    expect((await deliveryRow(seed.deliveryId)).status).toBe("pending");

    await runBatch([seed.message], stubFetch(ok).fetch, { queue: "pca-deliveries-dlq", env: envWith({ DB: flaky.d1 }) });
    expect((await deliveryRow(seed.deliveryId)).status).toBe("failed");
    expect((await webhookRow(seed.webhookId)).consecutiveFailures).toBe(2);
  });

  it("leaves a delivery the consumer already failed as it was", async () => {
    const seed = await seedDelivery({ attempts: 4 });
    const deadLetters = { send: async () => {} } as unknown as Queue;
    await runBatch([seed.message], stubFetch(() => new Response(null, { status: 500 })).fetch, { env: envWith({ DEAD_LETTER_QUEUE: deadLetters }) });
    const before = await deliveryRow(seed.deliveryId);
    const result = await runBatch([seed.message, "junk"], stubFetch(ok).fetch, { queue: "pca-deliveries-dlq" });
    expect(result.explicitAcks.sort()).toEqual(["m0", "m1"]);
    expect(await deliveryRow(seed.deliveryId)).toEqual(before);
    expect((await webhookRow(seed.webhookId)).consecutiveFailures).toBe(1);
  });

  it("leaves alone a delivery retried by hand before its final attempt's dead letter arrives", async () => {
    const seed = await seedDelivery({ attempts: 4 });
    const dead = recordingQueue();
    await runBatch([seed.message], stubFetch(() => new Response(null, { status: 500 })).fetch, { env: envWith({ DEAD_LETTER_QUEUE: dead.queue }) });
    expect(dead.sent).toHaveLength(1);
    // An admin's POST /deliveries/:id/retry (or a recover) wins the race with the dead-letter consumer.
    expect(await resetForRetry(db, seed.org, seed.deliveryId, NOW)).toBeDefined();
    const retried = await deliveryRow(seed.deliveryId);
    const failures = (await webhookRow(seed.webhookId)).consecutiveFailures;

    const result = await runBatch(dead.sent, stubFetch(ok).fetch, { queue: "pca-deliveries-dlq" });
    expect(result.explicitAcks).toEqual(["m0"]);
    expect(await deliveryRow(seed.deliveryId)).toEqual(retried);
    expect((await webhookRow(seed.webhookId)).consecutiveFailures).toBe(failures);
  });
});

describe("concurrency", () => {
  it("a batch's attempts run at once, never more than 6 connections open", async () => {
    const seeds = await Promise.all(Array.from({ length: 9 }, () => seedDelivery()));
    let open = 0;
    let most = 0;
    let release!: () => void;
    const sixOpen = new Promise<void>((resolve) => (release = resolve));
    // Each request holds its connection until 6 are open together; one at a time, none would
    // ever be released and the 200 ms deadline would fail them all.
    const { fetch } = stubFetch(async () => {
      open++;
      most = Math.max(most, open);
      if (open === 6) release();
      await sixOpen;
      open--;
      return new Response("ok");
    });
    await runBatch(
      seeds.map((s) => s.message),
      fetch,
      { env: envWith({ WEBHOOK_TIMEOUT_MS: "200" }) },
    );
    expect(most).toBe(6);
    for (const seed of seeds) expect((await deliveryRow(seed.deliveryId)).status).toBe("succeeded");
  });

  it("a slow receiver does not hold up the rest of the batch", async () => {
    const slow = await seedDelivery({ url: "https://slow.receiver.example.com/hook" });
    const fast = await seedDelivery({ url: "https://fast.receiver.example.com/hook" });
    let fastAnswered!: () => void;
    const fastDone = new Promise<void>((resolve) => (fastAnswered = resolve));
    // The slow receiver answers only after the fast one was served; handled one at a time, the
    // slow one would hit its 200 ms deadline first.
    const { fetch } = stubFetch(async (call) => {
      if (call.url.startsWith("https://slow.receiver")) {
        await fastDone;
        return new Response("slow ok");
      }
      fastAnswered();
      return new Response("fast ok");
    });
    await runBatch([slow.message, fast.message], fetch, { env: envWith({ WEBHOOK_TIMEOUT_MS: "200" }) });
    expect((await deliveryRow(slow.deliveryId)).status).toBe("succeeded");
    expect((await deliveryRow(fast.deliveryId)).status).toBe("succeeded");
  });
});
