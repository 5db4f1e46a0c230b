import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { webhooks } from "../../src/db/schema";
import { client, createWebhook, db, subscriptionsOf, uniqueOrg, webhookRow } from "../support";

describe("PUT /api/v1/webhooks/:id", () => {
  it("changes the given fields only and replaces the subscriptions", async () => {
    const admin = await client(uniqueOrg(), "admin");
    const hook = await createWebhook(admin, { events: ["*"], description: "old", headers: { "X-A": "1" } });
    const res = await admin.put(`/api/v1/webhooks/${hook.id}`, { events: ["lab_test.completed", "invoice.paid"], description: null });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: hook.id,
      url: hook.url,
      events: ["invoice.paid", "lab_test.completed"],
      description: null,
      headers: { "X-A": "1" },
      createdAt: hook.createdAt,
    });
    expect(res.json.secret).toBeUndefined();
    expect(res.json.updatedAt >= (hook.updatedAt as string)).toBe(true);
    expect(await subscriptionsOf(hook.id)).toEqual(["invoice.paid", "lab_test.completed"]);

    const moved = await admin.put(`/api/v1/webhooks/${hook.id}`, { url: "https://other.example/in", headers: {}, active: false });
    expect(moved.json).toMatchObject({ url: "https://other.example/in", headers: {}, active: false, events: ["invoice.paid", "lab_test.completed"] });
    expect((await admin.get(`/api/v1/webhooks/${hook.id}`)).json).toEqual(moved.json);
  });

  it("re-enabling clears disabledReason and the consecutive failure count", async () => {
    const admin = await client(uniqueOrg(), "admin");
    const hook = await createWebhook(admin);
    // What the delivery consumer does when it gives up on an endpoint.
    await db
      .update(webhooks)
      .set({ active: false, disabledReason: "endpoint answered 410 Gone", consecutiveFailures: 20 })
      .where(eq(webhooks.id, hook.id));
    expect((await admin.get(`/api/v1/webhooks/${hook.id}`)).json).toMatchObject({ active: false, disabledReason: "endpoint answered 410 Gone" });

    const res = await admin.put(`/api/v1/webhooks/${hook.id}`, { active: true });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ active: true, disabledReason: null });
    expect(await webhookRow(hook.id)).toMatchObject({ active: true, disabledReason: null, consecutiveFailures: 0 });
  });

  it.each([
    ["an empty body", {}],
    ["an unknown field", { secret: "x" }],
    ["an unknown event type", { events: ["nope.nope"] }],
    ["a refused URL", { url: "https://192.168.1.1/x" }],
    ["a reserved header", { headers: { Host: "evil.example" } }],
  ])("refuses %s with 400 and changes nothing", async (_name, body) => {
    const admin = await client(uniqueOrg(), "admin");
    const hook = await createWebhook(admin, { events: ["patient.created"] });
    const before = await webhookRow(hook.id);
    const res = await admin.put(`/api/v1/webhooks/${hook.id}`, body);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_error");
    expect(await webhookRow(hook.id)).toEqual(before);
    expect(await subscriptionsOf(hook.id)).toEqual(["patient.created"]);
  });

  it("404s for an unknown id and for another org's webhook, changing nothing", async () => {
    const hook = await createWebhook(await client(uniqueOrg(), "admin"));
    const before = await webhookRow(hook.id);
    const stranger = await client(uniqueOrg(), "admin");
    for (const id of [hook.id, "wh_missing"]) {
      const res = await stranger.put(`/api/v1/webhooks/${id}`, { url: "https://attacker.example/", events: ["*"], active: false });
      expect(res.status).toBe(404);
    }
    expect(await webhookRow(hook.id)).toEqual(before);
    expect(await subscriptionsOf(hook.id)).toEqual(["*"]);
  });

  it.each(["viewer", "staff", "service"] as const)("forbids %s (403)", async (role) => {
    const org = uniqueOrg();
    const hook = await createWebhook(await client(org, "admin"));
    expect((await (await client(org, role)).put(`/api/v1/webhooks/${hook.id}`, { active: false })).status).toBe(403);
    expect((await webhookRow(hook.id))?.active).toBe(true);
  });
});
