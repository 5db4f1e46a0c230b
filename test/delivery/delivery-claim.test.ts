// Item 3 of issue 8: two copies of one delivery's message (the cron sweep's and the original
// still stuck in a backlog, or any redelivery) make one request, whether they meet in one batch
// or arrive in different batches, even while the first copy's attempt is in flight. The first
// message to claim a delivery owns it (its queue message id is on the row); the sweep releases
// ownership when it enqueues a copy, so whichever arrives first takes over and the other is
// dropped.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runSweep } from "../../src/cron/sweep";
import { resetForRetry } from "../../src/db/repositories/deliveries";
import { deliveries, webhooks } from "../../src/db/schema";
import { attemptRows, db, deliveryRow, envWith, NOW, runBatch, seedDelivery, stubFetch } from "../support";

const ok = () => new Response("ok");
const minutes = (n: number) => n * 60_000;
const noQueue = { send: async () => {}, sendBatch: async () => {} } as unknown as Queue;
const sweepAt = (at: Date) => runSweep(envWith({ DELIVERY_QUEUE: noQueue }), at);
const untilCalled = async (calls: unknown[]) => {
  while (calls.length === 0) await new Promise((r) => setTimeout(r, 5));
};

/** A delivery whose first message ("original") is stuck in a backlog; the sweep sent "copy". */
async function sweptDelivery() {
  const seed = await seedDelivery({ nextAttemptAt: new Date(NOW.getTime() - minutes(3)) });
  await sweepAt(NOW);
  expect(await deliveryRow(seed.deliveryId)).toMatchObject({ nextAttemptAt: NOW, claimedBy: null, requeues: 1 });
  return seed;
}

describe("two copies of one delivery make one request", () => {
  it("in one batch: the sweep's copy and the original", async () => {
    const seed = await sweptDelivery();
    const { fetch, calls } = stubFetch(ok);
    const result = await runBatch([seed.message, seed.message], fetch, { ids: ["original", "copy"] });
    expect(calls).toHaveLength(1);
    expect(result.explicitAcks.sort()).toEqual(["copy", "original"]);
    expect(await attemptRows(seed.deliveryId)).toHaveLength(1);
  });

  it("across batches: the original arriving after the sweep's copy failed, before and after the retry is due", async () => {
    const seed = await sweptDelivery();
    const { fetch, calls } = stubFetch(() => new Response("down", { status: 500 }));
    const first = await runBatch([seed.message], fetch, { ids: ["copy"] });
    expect(first.retryMessages).toEqual([{ msgId: "copy", delaySeconds: 5 }]);
    const early = await runBatch([seed.message], fetch, { ids: ["original"] });
    const late = await runBatch([seed.message], fetch, { ids: ["original"], now: () => new Date(NOW.getTime() + minutes(10)) });
    expect([early.explicitAcks, late.explicitAcks]).toEqual([["original"], ["original"]]);
    expect(calls).toHaveLength(1);
    // The owner's own retry still goes through.
    await runBatch([seed.message], fetch, { ids: ["copy"], now: () => new Date(NOW.getTime() + minutes(10)) });
    expect(calls).toHaveLength(2);
    expect((await deliveryRow(seed.deliveryId)).attempts).toBe(2);
  });

  it("across batches: a second copy while the first copy's request is still in flight", async () => {
    const seed = await seedDelivery();
    let answer!: (res: Response) => void;
    const { fetch, calls } = stubFetch(() => new Promise<Response>((resolve) => (answer = resolve)));
    const first = runBatch([seed.message], fetch, { ids: ["a"] });
    await untilCalled(calls);
    const second = await runBatch([seed.message], fetch, { ids: ["b"] });
    expect(second.explicitAcks).toEqual(["b"]);
    answer(new Response("ok"));
    await first;
    expect(calls).toHaveLength(1);
    expect(await deliveryRow(seed.deliveryId)).toMatchObject({ status: "succeeded", attempts: 1 });
  });

  it("a queue backlog cannot starve a delivery: the original, arriving first after two sweeps, still delivers", async () => {
    const seed = await sweptDelivery();
    await sweepAt(new Date(NOW.getTime() + minutes(2)));
    expect((await deliveryRow(seed.deliveryId)).requeues).toBe(2);
    const { fetch, calls } = stubFetch(ok);
    await runBatch([seed.message], fetch, { ids: ["original"], now: () => new Date(NOW.getTime() + minutes(3)) });
    await runBatch([seed.message, seed.message], fetch, { ids: ["copy-1", "copy-2"], now: () => new Date(NOW.getTime() + minutes(4)) });
    expect(calls).toHaveLength(1);
    expect((await deliveryRow(seed.deliveryId)).status).toBe("succeeded");
  });

  it("a recorded attempt restarts the sweep's backoff: a later lost retry is picked up after the grace again", async () => {
    const seed = await sweptDelivery();
    await sweepAt(new Date(NOW.getTime() + minutes(2)));
    const { fetch } = stubFetch(() => new Response("down", { status: 500 }));
    await runBatch([seed.message], fetch, { ids: ["copy"], now: () => new Date(NOW.getTime() + minutes(3)) });
    const failed = await deliveryRow(seed.deliveryId);
    expect(failed).toMatchObject({ status: "pending", attempts: 1, requeues: 0 });
    // The retry's message is lost: the next sweep after the grace sends a copy, not minutes later.
    await sweepAt(new Date(failed.nextAttemptAt!.getTime() + 10_000));
    expect((await deliveryRow(seed.deliveryId)).requeues).toBe(1);
  });

  it("a manual retry lets its new message take over from the finished one's", async () => {
    const seed = await seedDelivery();
    await runBatch([seed.message], stubFetch(ok).fetch, { ids: ["first"] });
    expect((await resetForRetry(db, seed.org, seed.deliveryId, NOW))?.claimedBy).toBeNull();
    const { fetch, calls } = stubFetch(ok);
    await runBatch([seed.message, seed.message], fetch, { ids: ["retry", "stray"] });
    expect(calls).toHaveLength(1);
    expect((await deliveryRow(seed.deliveryId)).attempts).toBe(2);
  });
});

describe("the claim", () => {
  it("is given back when our own processing fails, so the queue's retry of the message finds the delivery due", async () => {
    const seed = await seedDelivery();
    await db.update(webhooks).set({ secretEnc: "not-a-ciphertext" }).where(eq(webhooks.id, seed.webhookId));
    const { fetch, calls } = stubFetch(ok);
    const result = await runBatch([seed.message], fetch, { ids: ["m"] });
    expect(result.retryMessages).toHaveLength(1);
    expect(calls).toHaveLength(0);
    const [row] = await db.select().from(deliveries).where(eq(deliveries.id, seed.deliveryId));
    expect(row).toMatchObject({ status: "pending", attempts: 0, nextAttemptAt: NOW, claimedBy: "m" });
  });

  it("keeps the sweep away from an attempt in progress", async () => {
    const seed = await seedDelivery({ nextAttemptAt: new Date(NOW.getTime() - minutes(3)) });
    let answer!: (res: Response) => void;
    const { fetch, calls } = stubFetch(() => new Promise<Response>((resolve) => (answer = resolve)));
    const inFlight = runBatch([seed.message], fetch);
    await untilCalled(calls);
    const sent: unknown[] = [];
    const queue = { sendBatch: async (m: { body: unknown }[]) => void sent.push(...m.map((x) => x.body)) } as unknown as Queue;
    await runSweep(envWith({ DELIVERY_QUEUE: queue }), new Date(NOW.getTime() + 10_000));
    expect(sent.filter((m) => (m as { deliveryId: string }).deliveryId === seed.deliveryId)).toEqual([]);
    answer(new Response("ok"));
    await inFlight;
    expect(calls).toHaveLength(1);
  });
});
