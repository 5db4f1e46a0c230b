// GET /api/v1/deliveries: every delivery of the caller's org (all its webhooks), newest first,
// filtered by status, paged by cursor; another org's deliveries never appear.
import { describe, expect, it } from "vitest";
import { client, uniqueOrg } from "../helpers";
import { createWebhook, insertDelivery } from "../webhooks/fixtures";

describe("GET /api/v1/deliveries", () => {
  it("lists the org's deliveries across webhooks, newest first, and only the org's", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    const [a, b] = [await createWebhook(admin), await createWebhook(admin)];
    const first = await insertDelivery(org, a.id, { status: "succeeded" });
    const second = await insertDelivery(org, b.id, { status: "failed" });
    const third = await insertDelivery(org, a.id);
    const other = uniqueOrg("other");
    await insertDelivery(other, (await createWebhook(await client(other, "admin"))).id);

    const res = await (await client(org, "viewer")).get("/api/v1/deliveries");
    expect(res.status).toBe(200);
    expect(res.json.data.map((d: { id: string }) => d.id)).toEqual([third.id, second.id, first.id]);
    expect(res.json.nextCursor).toBeNull();
  });

  it("filters by status and pages with the cursor", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    const hook = await createWebhook(admin);
    const failed = [];
    for (let i = 0; i < 3; i++) failed.push(await insertDelivery(org, hook.id, { status: "failed" }));
    await insertDelivery(org, hook.id, { status: "succeeded" });

    const page1 = await admin.get("/api/v1/deliveries?status=failed&limit=2");
    expect(page1.json.data.map((d: { id: string }) => d.id)).toEqual([failed[2]!.id, failed[1]!.id]);
    const page2 = await admin.get(`/api/v1/deliveries?status=failed&limit=2&cursor=${page1.json.nextCursor}`);
    expect(page2.json.data.map((d: { id: string }) => d.id)).toEqual([failed[0]!.id]);
    expect(page2.json.nextCursor).toBeNull();
  });

  it("refuses an unknown status with 400", async () => {
    const res = await (await client(uniqueOrg(), "viewer")).get("/api/v1/deliveries?status=lost");
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_error");
  });
});
