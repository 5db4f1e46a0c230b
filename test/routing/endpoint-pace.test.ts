import { env } from "cloudflare:test";
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runSweep } from "../../src/cron/sweep";
import { createDb } from "../../src/db/client";
import { parkBehindEarlier } from "../../src/db/repositories/delivery-lines";
import { deleteWebhook, updateWebhook } from "../../src/db/repositories/webhooks";
import { deliveries, deliveryAttempts, events } from "../../src/db/schema";
import { client, createWebhook, db, envWith, NOW, recordingQueue, runBatch, stubFetch, uniqueOrg, webhookRow } from "../support";
import { countingD1 } from "./d1-meter";

const RECEIVER = "https://receiver.example.com/hooks";

type Sent = { deliveryId: string; org: string };

/** A recording queue (test/support) and an env whose DELIVERY_QUEUE it is. */
function queueOfTest() {
  const q = recordingQueue();
  const sent = q.sent as Sent[];
  // The cron sweep serves every org, so a test looks only at its own org's messages: other
  // tests' lines (in any order the runner picks) may be released by the same sweep.
  const sentFor = (org: string) => sent.filter((s) => s.org === org).map((s) => s.deliveryId);
  return { ...q, sent, sentFor, env: envWith({ DELIVERY_QUEUE: q.queue }) };
}

/** An endpoint with `n` pending deliveries, published in this order one millisecond apart. */
async function seedLine(n: number, webhook: Record<string, unknown>) {
  const org = uniqueOrg("pace");
  const hook = await createWebhook(await client(org, "admin"), { url: RECEIVER, events: ["*"], ...webhook });
  const ids: { eventId: string; deliveryId: string; message: { v: 1; deliveryId: string; org: string } }[] = [];
  for (let i = 0; i < n; i++) {
    const createdAt = new Date(NOW.getTime() - 60_000 + i);
    const eventId = `evt_line${i}_${org}`;
    const deliveryId = `msg_line${i}_${org}`;
    await db.insert(events).values({ id: eventId, org, type: "patient.created", data: { patientId: `p${i}` }, createdAt });
    await db.insert(deliveries).values({
      id: deliveryId,
      org,
      webhookId: hook.id,
      eventId,
      eventType: "patient.created",
      status: "pending",
      nextAttemptAt: createdAt,
      createdAt,
      updatedAt: createdAt,
    });
    ids.push({ eventId, deliveryId, message: { v: 1, deliveryId, org } });
  }
  return { org, hook, ids };
}

const row = async (id: string) => (await db.select().from(deliveries).where(eq(deliveries.id, id)))[0]!;
const at = (ms: number) => () => new Date(NOW.getTime() + ms);

describe("ordered: true", () => {
  it("a receiver failing the first two tries of event 1 receives 1, 2, 3 in that order", async () => {
    const { org, ids } = await seedLine(3, { ordered: true });
    const [e1, e2, e3] = ids;
    const received: string[] = [];
    const succeeded: string[] = [];
    let failuresLeft = 2;
    const receiver = stubFetch((call) => {
      const eventId = call.headers.get("webhook-id")!;
      received.push(eventId);
      if (eventId === e1!.eventId && failuresLeft-- > 0) return new Response("down", { status: 500 });
      succeeded.push(eventId);
      return new Response("ok");
    });
    const q = queueOfTest();

    // All three arrive together: 1 is tried (and fails), 2 and 3 are parked behind it.
    // Message ids as the queue keeps them: a retried message has its first id (delivery claims rely on it).
    await runBatch([e1!.message, e2!.message, e3!.message], receiver.fetch, { env: q.env, now: at(0), ids: ["q1", "q2", "q3"] });
    expect(received).toEqual([e1!.eventId]);
    expect((await row(e2!.deliveryId)).nextAttemptAt).toBeNull();
    expect((await row(e3!.deliveryId)).nextAttemptAt).toBeNull();

    // The cron sweep leaves parked deliveries alone.
    await runSweep(q.env, new Date(NOW.getTime() + 3_000));
    expect(q.sentFor(org)).not.toContain(e2!.deliveryId);

    // 1's retry comes, with redelivered copies of 2 and 3: 1 fails again, 2 and 3 stay parked.
    await runBatch([e2!.message, e1!.message, e3!.message], receiver.fetch, { env: q.env, now: at(7_000), ids: ["q2", "q1", "q3"] });
    expect(received).toEqual([e1!.eventId, e1!.eventId]);

    // 1 succeeds: 2 is released (a new message), and only 2.
    await runBatch([e1!.message], receiver.fetch, { env: q.env, now: at(20_000), ids: ["q1"] });
    expect(q.sentFor(org)).toEqual([e2!.deliveryId]);
    await runBatch([e2!.message, e3!.message], receiver.fetch, { env: q.env, now: at(21_000) });
    expect(q.sentFor(org)).toEqual([e2!.deliveryId, e3!.deliveryId]);
    await runBatch([e3!.message], receiver.fetch, { env: q.env, now: at(22_000) });

    expect(succeeded).toEqual([e1!.eventId, e2!.eventId, e3!.eventId]);
    for (const d of ids) expect((await row(d.deliveryId)).status).toBe("succeeded");
    expect((await db.select().from(deliveries).where(eq(deliveries.org, org))).every((d) => d.attempts === (d.id === e1!.deliveryId ? 3 : 1))).toBe(
      true,
    );
  });

  it("a delivery that fails finally releases the next one", async () => {
    const { ids } = await seedLine(2, { ordered: true });
    const q = queueOfTest();
    await runBatch([ids[0]!.message, ids[1]!.message], stubFetch(() => new Response("bad", { status: 400 })).fetch, { env: q.env, now: at(0) });
    // 400 is retryable; make 1 fail finally by using up its schedule.
    await db.update(deliveries).set({ attempts: 4 }).where(eq(deliveries.id, ids[0]!.deliveryId));
    await runBatch([ids[0]!.message], stubFetch(() => new Response("bad", { status: 400 })).fetch, { env: q.env, now: at(60_000) });
    expect((await row(ids[0]!.deliveryId)).status).toBe("failed");
    expect(q.sent.map((s) => s.deliveryId)).toContain(ids[1]!.deliveryId);
  });

  it("the cron sweep releases a line whose release was lost", async () => {
    const { org, ids } = await seedLine(2, { ordered: true });
    const q = queueOfTest();
    await runBatch([ids[0]!.message, ids[1]!.message], stubFetch(() => new Response("ok")).fetch, { env: q.env, now: at(0) });
    // As if the isolate died after recording 1's success and before releasing 2:
    await db.update(deliveries).set({ nextAttemptAt: null, updatedAt: NOW }).where(eq(deliveries.id, ids[1]!.deliveryId));
    q.sent.length = 0;
    await runSweep(q.env, new Date(NOW.getTime() + 10 * 60_000));
    expect(q.sentFor(org)).toEqual([ids[1]!.deliveryId]);
    expect((await row(ids[1]!.deliveryId)).nextAttemptAt).not.toBeNull();
  });

  it("a park decided from a webhook loaded just before PUT ordered:false changes nothing (else nothing would release it)", async () => {
    const { org, hook, ids } = await seedLine(2, { ordered: true });
    // The consumer's batch loaded the webhook while it was ordered; the PUT commits; then the gate parks.
    await (await client(org, "admin")).put(`/api/v1/webhooks/${hook.id}`, { ordered: false });
    const second = await row(ids[1]!.deliveryId);
    expect(await parkBehindEarlier(db, org, second, NOW)).toBe(false);
    expect((await row(ids[1]!.deliveryId)).nextAttemptAt).not.toBeNull();
  });

  it("PUT ordered:false gives parked deliveries a time again", async () => {
    const { org, hook, ids } = await seedLine(2, { ordered: true });
    const q = queueOfTest();
    await runBatch([ids[1]!.message], stubFetch(() => new Response("ok")).fetch, { env: q.env, now: at(0) });
    expect((await row(ids[1]!.deliveryId)).nextAttemptAt).toBeNull();
    await (await client(org, "admin")).put(`/api/v1/webhooks/${hook.id}`, { ordered: false });
    expect((await row(ids[1]!.deliveryId)).nextAttemptAt).not.toBeNull();
  });

  it("updateWebhook with ordered:false un-parks in the batch that changes the webhook", async () => {
    const { org, hook, ids } = await seedLine(2, { ordered: true });
    const q = queueOfTest();
    await runBatch([ids[1]!.message], stubFetch(() => new Response("ok")).fetch, { env: q.env, now: at(0) });
    expect((await row(ids[1]!.deliveryId)).nextAttemptAt).toBeNull();
    const counted = countingD1(env.DB);
    const updated = await updateWebhook(createDb(counted.d1), org, hook.id, { ordered: false, updatedAt: at(1_000)() });
    expect(updated?.row.ordered).toBe(false);
    expect((await row(ids[1]!.deliveryId)).nextAttemptAt).toEqual(at(1_000)());
    // One batch for every write, then the read of the subscriptions the answer carries.
    expect(counted.roundTrips()).toBe(2);
  });

  it("updateWebhook with ordered:false writes nothing for a webhook missing from the org", async () => {
    const { org, hook, ids } = await seedLine(2, { ordered: true });
    const q = queueOfTest();
    await runBatch([ids[1]!.message], stubFetch(() => new Response("ok")).fetch, { env: q.env, now: at(0) });
    const before = await db.select().from(deliveries).where(eq(deliveries.org, org));
    // Another org's caller naming this webhook: no such webhook there.
    expect(await updateWebhook(db, uniqueOrg("other"), hook.id, { ordered: false, updatedAt: at(1_000)() })).toBeUndefined();
    expect(await db.select().from(deliveries).where(eq(deliveries.org, org))).toEqual(before);
    expect((await webhookRow(hook.id)).ordered).toBe(true);
    // A DELETE that won the race against a PUT: the update finds no webhook and un-parks nothing.
    await deleteWebhook(db, org, hook.id, at(2_000)());
    const afterDelete = await db.select().from(deliveries).where(eq(deliveries.org, org));
    expect(await updateWebhook(db, org, hook.id, { ordered: false, updatedAt: at(3_000)() })).toBeUndefined();
    expect(await db.select().from(deliveries).where(eq(deliveries.org, org))).toEqual(afterDelete);
  });
});

/** Seeds `count` deliveries to one webhook and runs them as one queue batch at t = 0. */
async function firstBatchOfLine(count: number, webhook: Parameters<typeof seedLine>[1]) {
  const { ids } = await seedLine(count, webhook);
  const q = queueOfTest();
  const receiver = stubFetch(() => new Response("ok"));
  await runBatch(
    ids.map((d) => d.message),
    receiver.fetch,
    { env: q.env, now: at(0) },
  );
  return { ids, q, receiver };
}

describe("rateLimit", () => {
  it("2/s over 20 deliveries: 2 start now, the rest are scheduled over at least 9 s, none failed", async () => {
    const { ids, q, receiver } = await firstBatchOfLine(20, { rateLimit: 2 });
    expect(receiver.calls).toHaveLength(2);
    const rows = await Promise.all(ids.map((d) => row(d.deliveryId)));
    expect(rows.filter((r) => r.status === "failed")).toEqual([]);
    const waiting = rows.filter((r) => r.status === "pending");
    expect(waiting).toHaveLength(18);
    // Scheduled start times: the two made now and each waiting delivery's reserved slot.
    const scheduled = [NOW.getTime(), NOW.getTime(), ...waiting.map((r) => r.nextAttemptAt!.getTime())].sort((a, b) => a - b);
    expect(scheduled.at(-1)! - scheduled[0]!).toBeGreaterThanOrEqual(9_000);
    for (let i = 2; i < scheduled.length; i++) expect(scheduled[i]! - scheduled[i - 2]!).toBeGreaterThanOrEqual(1_000);
    // Each waiting delivery was sent again, delayed to its slot.
    expect(q.sent).toHaveLength(18);
    for (const call of q.send.mock.calls as unknown[][]) expect((call[1] as { delaySeconds: number }).delaySeconds).toBeGreaterThanOrEqual(1);
  });

  it("every delivery starts in the end, never more than 2 in any second", async () => {
    const { ids, q, receiver } = await firstBatchOfLine(8, { rateLimit: 2 });
    // Play the re-sent messages at the time their delay brings them back.
    for (let round = 0; round < 20 && q.sent.length; round++) {
      const next = q.sent.splice(0, q.sent.length);
      for (const s of next) {
        const due = (await row(s.deliveryId)).nextAttemptAt!.getTime() - NOW.getTime();
        await runBatch([{ v: 1, deliveryId: s.deliveryId, org: s.org }], receiver.fetch, { env: q.env, now: at(Math.ceil(due / 1000) * 1000) });
      }
    }
    const rows = await Promise.all(ids.map((d) => row(d.deliveryId)));
    expect(rows.map((r) => r.status)).toEqual(Array(8).fill("succeeded"));
    const starts = (
      await db
        .select({ at: deliveryAttempts.at })
        .from(deliveryAttempts)
        .where(eq(deliveryAttempts.webhookId, rows[0]!.webhookId))
        .orderBy(asc(deliveryAttempts.at))
    ).map((a) => a.at.getTime());
    expect(starts).toHaveLength(8);
    for (let i = 2; i < starts.length; i++) expect(starts[i]! - starts[i - 2]!).toBeGreaterThanOrEqual(1_000);
  });
});
