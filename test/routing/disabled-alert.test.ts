// webhook.disabled to the org's other subscribers, and one analytics data point per attempt.
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deliveries, webhooks } from "../../src/db/schema";
import { client, createWebhook, db, deliveriesOfEvent, eventsOfOrg, runBatch, seedDelivery, stubFetch } from "../support";

const status = (code: number) => () => new Response("x", { status: code });

function recordingAnalytics() {
  const points: AnalyticsEngineDataPoint[] = [];
  return { dataset: { writeDataPoint: (p?: AnalyticsEngineDataPoint) => void points.push(p!) } as AnalyticsEngineDataset, points };
}

async function seedWithListeners() {
  const seed = await seedDelivery();
  const admin = await client(seed.org, "admin");
  const byName = await createWebhook(admin, { events: ["webhook.disabled"] });
  const byResource = await createWebhook(admin, { events: ["webhook.*"] });
  const everything = await createWebhook(admin, { events: ["*"] });
  const unrelated = await createWebhook(admin, { events: ["invoice.paid"] });
  return { seed, listeners: [byName.id, byResource.id, everything.id].sort(), unrelated: unrelated.id };
}

const disabledEvents = async (org: string) => (await eventsOfOrg(org)).filter((e) => e.type === "webhook.disabled");

describe("webhook.disabled", () => {
  it("410 Gone publishes it once to the org's other webhooks that subscribe to it", async () => {
    const { seed, listeners } = await seedWithListeners();
    await runBatch([seed.message], stubFetch(status(410)).fetch);
    await runBatch([seed.message], stubFetch(status(410)).fetch); // a redelivered copy changes nothing
    const events = await disabledEvents(seed.org);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toEqual({ webhookId: seed.webhookId, url: "https://receiver.example.com/hooks", reason: "endpoint answered 410 Gone" });
    expect((await deliveriesOfEvent(events[0]!.id)).map((d) => d.webhookId).sort()).toEqual(listeners);
  });

  it("is published when WEBHOOK_DISABLE_AFTER_FAILURES is reached by a final failure", async () => {
    const { seed } = await seedWithListeners();
    await db.update(webhooks).set({ consecutiveFailures: 19 }).where(eq(webhooks.id, seed.webhookId));
    await db.update(deliveries).set({ attempts: 4 }).where(eq(deliveries.id, seed.deliveryId));
    await runBatch([seed.message], stubFetch(status(500)).fetch);
    const events = await disabledEvents(seed.org);
    expect(events).toHaveLength(1);
    expect(events[0]!.data.reason).toBe("disabled after 20 consecutive failed deliveries");
  });

  it("is not published for an ordinary failure or an admin's own disable", async () => {
    const { seed } = await seedWithListeners();
    await runBatch([seed.message], stubFetch(status(500)).fetch);
    const admin = await client(seed.org, "admin");
    await admin.put(`/api/v1/webhooks/${seed.webhookId}`, { active: false });
    expect(await disabledEvents(seed.org)).toHaveLength(0);
  });
});

describe("Analytics Engine", () => {
  it("writes one data point per attempt: org, webhook, event type, status class, duration", async () => {
    const seed = await seedDelivery();
    const analytics = recordingAnalytics();
    await runBatch([seed.message], stubFetch(status(503)).fetch, { env: { ...env, DELIVERY_ANALYTICS: analytics.dataset } });
    expect(analytics.points).toEqual([
      { indexes: [seed.org], blobs: [seed.org, seed.webhookId, "patient.created", "5xx"], doubles: [expect.any(Number), 503] },
    ]);
    // A duplicate of the same message makes no attempt and no point.
    await runBatch([seed.message], stubFetch(status(200)).fetch, { env: { ...env, DELIVERY_ANALYTICS: analytics.dataset } });
    expect(analytics.points).toHaveLength(1);
  });
});
