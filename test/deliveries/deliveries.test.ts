import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { webhooks } from "../../src/db/schema";
import { client, createWebhook, db, deliveryRow, seedAttempt, seedDelivery, uniqueOrg } from "../support";

describe("GET /api/v1/deliveries/:id", () => {
  it("answers the delivery with its attempt log in attempt order", async () => {
    const org = uniqueOrg();
    const hook = await createWebhook(await client(org, "admin"));
    const d = await seedDelivery({ org, webhookId: hook.id, status: "failed", attempts: 2, lastStatusCode: 503, lastError: "HTTP 503" });
    await seedAttempt(org, d.deliveryId, 2, { statusCode: 503, responseSnippet: "busy" });
    await seedAttempt(org, d.deliveryId, 1, { statusCode: null, error: "timeout after 10000 ms", responseSnippet: null, durationMs: 10000 });

    const res = await (await client(org, "viewer")).get(`/api/v1/deliveries/${d.deliveryId}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: d.deliveryId,
      webhookId: hook.id,
      eventId: d.eventId,
      status: "failed",
      attempts: 2,
      lastError: "HTTP 503",
    });
    expect(res.json.attemptLog).toEqual([
      { attempt: 1, statusCode: null, durationMs: 10000, error: "timeout after 10000 ms", responseSnippet: null, at: "2026-01-01T00:00:01.000Z" },
      { attempt: 2, statusCode: 503, durationMs: 12, error: null, responseSnippet: "busy", at: "2026-01-01T00:00:02.000Z" },
    ]);
  });

  it("still answers after its webhook was deleted", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    const hook = await createWebhook(admin);
    const d = await seedDelivery({ org, webhookId: hook.id });
    await admin.delete(`/api/v1/webhooks/${hook.id}`);
    const res = await admin.get(`/api/v1/deliveries/${d.deliveryId}`);
    expect(res.json).toMatchObject({ status: "failed", lastError: "webhook deleted", attemptLog: [] });
  });

  it("404s for another org's delivery, showing none of it", async () => {
    const org = uniqueOrg();
    const hook = await createWebhook(await client(org, "admin"));
    const d = await seedDelivery({ org, webhookId: hook.id });
    await seedAttempt(org, d.deliveryId, 1, { responseSnippet: "private body" });
    const res = await (await client(uniqueOrg(), "admin")).get(`/api/v1/deliveries/${d.deliveryId}`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain("private body");
  });
});

describe("POST /api/v1/deliveries/:id/retry", () => {
  it("puts a failed delivery back to pending with a fresh schedule, keeping its count and last error", async () => {
    const org = uniqueOrg();
    const hook = await createWebhook(await client(org, "admin"));
    const d = await seedDelivery({ org, webhookId: hook.id, status: "failed", attempts: 5, lastStatusCode: 500, lastError: "HTTP 500" });
    const before = Date.now();
    const res = await (await client(org, "admin")).post(`/api/v1/deliveries/${d.deliveryId}/retry`);
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ id: d.deliveryId, status: "pending", attempts: 5, lastError: "HTTP 500", deliveredAt: null });
    expect(Date.parse(res.json.nextAttemptAt)).toBeGreaterThanOrEqual(before - 1000);
    // The consumer counts this schedule's attempts from schedule_start.
    const row = await deliveryRow(d.deliveryId);
    expect(row?.scheduleStart).toBe(5);
  });

  it("retries a succeeded delivery too (re-send), clearing deliveredAt", async () => {
    const org = uniqueOrg();
    const hook = await createWebhook(await client(org, "admin"));
    const d = await seedDelivery({ org, webhookId: hook.id, status: "succeeded", attempts: 1, deliveredAt: new Date() });
    const res = await (await client(org, "admin")).post(`/api/v1/deliveries/${d.deliveryId}/retry`);
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ status: "pending", deliveredAt: null });
  });

  it("lets exactly one of two concurrent retries through", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    const hook = await createWebhook(admin);
    const d = await seedDelivery({ org, webhookId: hook.id, status: "failed", attempts: 5 });
    const results = await Promise.all([1, 2].map(() => admin.post(`/api/v1/deliveries/${d.deliveryId}/retry`)));
    expect(results.map((r) => r.status).sort()).toEqual([202, 409]);
  });

  it("409s while the delivery is still pending, changing nothing", async () => {
    const org = uniqueOrg();
    const hook = await createWebhook(await client(org, "admin"));
    const d = await seedDelivery({ org, webhookId: hook.id, status: "pending", attempts: 2, scheduleStart: 0 });
    const before = await deliveryRow(d.deliveryId);
    const res = await (await client(org, "admin")).post(`/api/v1/deliveries/${d.deliveryId}/retry`);
    expect(res.status).toBe(409);
    expect(res.json.error.message).toMatch(/pending/);
    expect(await deliveryRow(d.deliveryId)).toEqual(before);
  });

  it("409s when the webhook is inactive or deleted, changing nothing", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    const disabled = await createWebhook(admin);
    const deleted = await createWebhook(admin);
    const d1 = await seedDelivery({ org, webhookId: disabled.id, status: "failed", attempts: 5 });
    const d2 = await seedDelivery({ org, webhookId: deleted.id, status: "failed", attempts: 5 });
    await db.update(webhooks).set({ active: false, disabledReason: "410 Gone" }).where(eq(webhooks.id, disabled.id));
    await admin.delete(`/api/v1/webhooks/${deleted.id}`);

    const r1 = await admin.post(`/api/v1/deliveries/${d1.deliveryId}/retry`);
    expect(r1.status).toBe(409);
    expect(r1.json.error.message).toMatch(/inactive/);
    const r2 = await admin.post(`/api/v1/deliveries/${d2.deliveryId}/retry`);
    expect(r2.status).toBe(409);
    expect(r2.json.error.message).toMatch(/deleted/);
    expect((await deliveryRow(d1.deliveryId))?.status).toBe("failed");
    expect((await deliveryRow(d2.deliveryId))?.status).toBe("failed");
  });

  it("404s for another org's delivery and for an unknown id, changing nothing", async () => {
    const org = uniqueOrg();
    const hook = await createWebhook(await client(org, "admin"));
    const d = await seedDelivery({ org, webhookId: hook.id, status: "failed", attempts: 5 });
    const before = await deliveryRow(d.deliveryId);
    const stranger = await client(uniqueOrg(), "admin");
    expect((await stranger.post(`/api/v1/deliveries/${d.deliveryId}/retry`)).status).toBe(404);
    expect((await stranger.post("/api/v1/deliveries/msg_missing/retry")).status).toBe(404);
    expect(await deliveryRow(d.deliveryId)).toEqual(before);
  });

  it.each(["viewer", "staff", "service"] as const)("forbids %s (403)", async (role) => {
    const org = uniqueOrg();
    const hook = await createWebhook(await client(org, "admin"));
    const d = await seedDelivery({ org, webhookId: hook.id, status: "failed", attempts: 5 });
    expect((await (await client(org, role)).post(`/api/v1/deliveries/${d.deliveryId}/retry`)).status).toBe(403);
    expect((await deliveryRow(d.deliveryId))?.status).toBe("failed");
  });
});
