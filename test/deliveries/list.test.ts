// GET /api/v1/deliveries: every delivery of the caller's org (all its webhooks), newest first,
// filtered by status, paged by cursor; another org's deliveries never appear.
import { describe, expect, it } from "vitest";
import { client, seedDelivery, seedWebhook, uniqueOrg } from "../support";

const ids = (res: { json: { data: { id: string }[] } }) => res.json.data.map((d) => d.id);

describe("GET /api/v1/deliveries", () => {
  it("lists the org's deliveries across webhooks, newest first, and only the org's", async () => {
    const org = uniqueOrg();
    const [a, b] = [await seedWebhook(org), await seedWebhook(org)];
    const first = await seedDelivery({ org, webhookId: a.id, status: "succeeded" });
    const second = await seedDelivery({ org, webhookId: b.id, status: "failed" });
    const third = await seedDelivery({ org, webhookId: a.id });
    await seedDelivery({ org: uniqueOrg("other") });

    const res = await (await client(org, "viewer")).get("/api/v1/deliveries");
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([third.deliveryId, second.deliveryId, first.deliveryId]);
    expect(res.json.nextCursor).toBeNull();
  });

  it("filters by status and pages with the cursor", async () => {
    const org = uniqueOrg();
    const hook = await seedWebhook(org);
    const failed = [];
    for (let i = 0; i < 3; i++) failed.push(await seedDelivery({ org, webhookId: hook.id, status: "failed" }));
    await seedDelivery({ org, webhookId: hook.id, status: "succeeded" });

    const viewer = await client(org, "viewer");
    const page1 = await viewer.get("/api/v1/deliveries?status=failed&limit=2");
    expect(ids(page1)).toEqual([failed[2]!.deliveryId, failed[1]!.deliveryId]);
    const page2 = await viewer.get(`/api/v1/deliveries?status=failed&limit=2&cursor=${page1.json.nextCursor}`);
    expect(ids(page2)).toEqual([failed[0]!.deliveryId]);
    expect(page2.json.nextCursor).toBeNull();
  });

  it("refuses an unknown status with 400", async () => {
    const res = await (await client(uniqueOrg(), "viewer")).get("/api/v1/deliveries?status=lost");
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_error");
  });
});
