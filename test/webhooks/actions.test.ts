import { describe, expect, it } from "vitest";
import { client, createWebhook, deliveriesOfEvent, deliveryRow, eventsOfOrg, seedDelivery, uniqueOrg } from "../support";

describe("POST /api/v1/webhooks/:id/test", () => {
  it("answers 202 with a delivery of a webhook.test event to this webhook alone", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    const target = await createWebhook(admin, { events: ["invoice.paid"] });
    await createWebhook(admin, { events: ["*"] });

    const res = await admin.post(`/api/v1/webhooks/${target.id}/test`);
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ deliveryId: expect.stringMatching(/^msg_/) });

    const delivery = await deliveryRow(res.json.deliveryId);
    expect(delivery).toMatchObject({ org, webhookId: target.id, eventType: "webhook.test" });
    expect(await deliveriesOfEvent(delivery!.eventId)).toHaveLength(1);
    const [event] = await eventsOfOrg(org);
    expect(event).toMatchObject({ id: delivery!.eventId, type: "webhook.test", data: { webhookId: target.id, message: expect.any(String) } });
  });

  it("refuses an inactive webhook with 409 and writes nothing", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    const hook = await createWebhook(admin, { active: false });
    const res = await admin.post(`/api/v1/webhooks/${hook.id}/test`);
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("conflict");
    expect(await eventsOfOrg(org)).toHaveLength(0);
  });

  it("404s for another org's webhook and writes nothing", async () => {
    const hook = await createWebhook(await client(uniqueOrg(), "admin"));
    const stranger = await client(uniqueOrg(), "admin");
    expect((await stranger.post(`/api/v1/webhooks/${hook.id}/test`)).status).toBe(404);
    expect(await eventsOfOrg(stranger.org)).toHaveLength(0);
  });

  it.each(["viewer", "staff", "service"] as const)("forbids %s (403)", async (role) => {
    const org = uniqueOrg();
    const hook = await createWebhook(await client(org, "admin"));
    expect((await (await client(org, role)).post(`/api/v1/webhooks/${hook.id}/test`)).status).toBe(403);
    expect(await eventsOfOrg(org)).toHaveLength(0);
  });
});

describe("GET /api/v1/webhooks/:id/deliveries", () => {
  it("lists this webhook's deliveries newest first, by status, in keyset pages", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    const hook = await createWebhook(admin);
    const other = await createWebhook(admin);
    const a = await seedDelivery({ org, webhookId: hook.id, status: "failed", attempts: 5, lastStatusCode: 500, lastError: "HTTP 500" });
    const b = await seedDelivery({ org, webhookId: hook.id, status: "succeeded", attempts: 1, lastStatusCode: 200, deliveredAt: new Date() });
    const c = await seedDelivery({ org, webhookId: hook.id, status: "failed", attempts: 5 });
    await seedDelivery({ org, webhookId: other.id });
    const viewer = await client(org, "viewer");

    const all = await viewer.get(`/api/v1/webhooks/${hook.id}/deliveries`);
    expect(all.status).toBe(200);
    expect(all.json.data.map((d: { id: string }) => d.id)).toEqual([c.deliveryId, b.deliveryId, a.deliveryId]);
    expect(all.json.data[2]).toEqual({
      id: a.deliveryId,
      webhookId: hook.id,
      eventId: a.eventId,
      eventType: "patient.created",
      status: "failed",
      attempts: 5,
      lastStatusCode: 500,
      lastError: "HTTP 500",
      nextAttemptAt: null,
      createdAt: a.eventCreatedAt.toISOString(),
      updatedAt: expect.stringMatching(/Z$/),
      deliveredAt: null,
    });

    const failed = await viewer.get(`/api/v1/webhooks/${hook.id}/deliveries?status=failed&limit=1`);
    expect(failed.json.data.map((d: { id: string }) => d.id)).toEqual([c.deliveryId]);
    const next = await viewer.get(`/api/v1/webhooks/${hook.id}/deliveries?status=failed&limit=1&cursor=${failed.json.nextCursor}`);
    expect(next.json.data.map((d: { id: string }) => d.id)).toEqual([a.deliveryId]);
    expect(next.json.nextCursor).toBeNull();
  });

  it("refuses an unknown status (400) and 404s for another org's webhook", async () => {
    const org = uniqueOrg();
    const hook = await createWebhook(await client(org, "admin"));
    await seedDelivery({ org, webhookId: hook.id });
    expect((await (await client(org, "viewer")).get(`/api/v1/webhooks/${hook.id}/deliveries?status=lost`)).status).toBe(400);
    const stranger = await (await client(uniqueOrg(), "admin")).get(`/api/v1/webhooks/${hook.id}/deliveries`);
    expect(stranger.status).toBe(404);
    expect(stranger.text).not.toContain("msg_");
  });
});
