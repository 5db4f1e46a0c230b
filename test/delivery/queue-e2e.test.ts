// End to end in the test runtime: publish through the real path, the real queue delivers the
// message to the real consumer, whose fetch lands on the outbound stub of vitest.config.ts.
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { deliveries, deliveryAttempts } from "../../src/db/schema";
import { publishEvent } from "../../src/events/publish";
import { db, ECHO_RECEIVER_HOST, FLAKY_RECEIVER_HOST, seedWebhook, uniqueOrg } from "../support";

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting for the queue");
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A webhook subscribed to patient.created, as the webhooks API would write it. */
async function subscribe(host: string) {
  const org = uniqueOrg("e2e");
  const webhook = await seedWebhook(org, { url: `https://${host}/hooks`, headers: { "x-clinic": "north" }, types: ["patient.created"] });
  return { org, webhookId: webhook.id, secret: webhook.secret };
}

const settled = (eventId: string) => async () => {
  const [row] = await db.select().from(deliveries).where(eq(deliveries.eventId, eventId));
  return row && row.status !== "pending" ? row : undefined;
};

describe("queue end to end", () => {
  it("a published event reaches the receiver signed, and the delivery succeeds", async () => {
    const { org, webhookId, secret } = await subscribe(ECHO_RECEIVER_HOST);
    const published = await publishEvent(db, env.DELIVERY_QUEUE, org, { type: "patient.created", data: { patientId: "pat_9", name: "Bella" } });
    const delivery = await waitFor(settled(published.event.id));
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 1, lastStatusCode: 200, webhookId });

    const [attempt] = await db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, delivery.id));
    const echoed = JSON.parse(attempt!.responseSnippet!) as { method: string; headers: Record<string, string>; body: string };
    expect(echoed.method).toBe("POST");
    expect(echoed.headers["webhook-id"]).toBe(published.event.id);
    expect(echoed.headers["user-agent"]).toMatch(/^PurpleCross-Webhooks\//);
    expect(new Webhook(secret).verify(echoed.body, echoed.headers)).toEqual({
      id: published.event.id,
      type: "patient.created",
      timestamp: published.event.createdAt,
      data: { patientId: "pat_9", name: "Bella" },
    });
  });

  it("a failed attempt is retried by the queue after the schedule's delay, with the same webhook-id", async () => {
    const { org, secret } = await subscribe(FLAKY_RECEIVER_HOST);
    const published = await publishEvent(db, env.DELIVERY_QUEUE, org, { type: "patient.created", data: { patientId: "pat_10" } });
    const delivery = await waitFor(settled(published.event.id), 20_000);
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 2 });
    const attempts = await db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, delivery.id)).orderBy(deliveryAttempts.attempt);
    expect(attempts.map((a) => a.statusCode)).toEqual([500, 200]);
    // The first retry waits 5 s less at most 20 % jitter (delivery/policy.ts).
    expect(attempts[1]!.at.getTime() - attempts[0]!.at.getTime()).toBeGreaterThanOrEqual(3_900);
    const echoed = JSON.parse(attempts[1]!.responseSnippet!) as { headers: Record<string, string>; body: string };
    expect(echoed.headers["webhook-id"]).toBe(published.event.id);
    expect(new Webhook(secret).verify(echoed.body, echoed.headers)).toBeTruthy();
  }, 30_000);
});
