// End to end in the test runtime: publish through the real path, the real queue delivers the
// message to the real consumer, whose fetch lands on the outbound stub of vitest.config.ts.
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { encryptSecret, generateWebhookSecret } from "../../src/crypto/secrets";
import { deliveries, deliveryAttempts, webhookEventTypes, webhooks } from "../../src/db/schema";
import { publishEvent } from "../../src/events/publish";
import { newId } from "../../src/lib/ids";
import { ECHO_RECEIVER_HOST } from "../outbound";
import { uniqueOrg } from "../helpers";
import { db } from "./fixtures";

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting for the queue");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("queue end to end", () => {
  it("a published event reaches the receiver signed, and the delivery succeeds", async () => {
    const org = uniqueOrg("e2e");
    const webhookId = newId("wh");
    const secret = generateWebhookSecret();
    const now = new Date();
    await db.batch([
      db.insert(webhooks).values({
        id: webhookId,
        org,
        url: `https://${ECHO_RECEIVER_HOST}/hooks`,
        headers: { "x-clinic": "north" },
        secretEnc: await encryptSecret(env.SECRET_ENCRYPTION_KEY, secret, `${org}:${webhookId}`),
        createdAt: now,
        updatedAt: now,
      }),
      db.insert(webhookEventTypes).values({ webhookId, org, eventType: "patient.created" }),
    ]);

    const published = await publishEvent(env, org, { type: "patient.created", data: { patientId: "pat_9", name: "Bella" } });
    const delivery = await waitFor(async () => {
      const [row] = await db.select().from(deliveries).where(eq(deliveries.eventId, published.event.id));
      return row && row.status !== "pending" ? row : undefined;
    });
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
});
