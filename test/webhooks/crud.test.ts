import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deliveries, webhooks } from "../../src/db/schema";
import { call, client, createWebhook, db, deliveryRow, HOOK_URL, seedDelivery, subscriptionsOf, uniqueOrg, webhookRow } from "../support";

const PUBLIC_FIELDS = [
  "active",
  "createdAt",
  "description",
  "disabledReason",
  "events",
  "filter",
  "headers",
  "id",
  "ordered",
  "rateLimit",
  "updatedAt",
  "url",
];

describe("POST /api/v1/webhooks", () => {
  it("creates a webhook, answers 201 with its secret once, and indexes its subscriptions", async () => {
    const admin = await client(uniqueOrg(), "admin");
    const res = await admin.post("/api/v1/webhooks", {
      url: HOOK_URL,
      events: ["invoice.paid", "patient.created", "invoice.paid"],
      description: "Billing",
      headers: { "X-Clinic": "north" },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`/api/v1/webhooks/${res.json.id}`);
    expect(Object.keys(res.json).sort()).toEqual([...PUBLIC_FIELDS, "secret"].sort());
    expect(res.json).toMatchObject({
      url: HOOK_URL,
      events: ["patient.created", "invoice.paid"],
      description: "Billing",
      active: true,
      headers: { "X-Clinic": "north" },
      disabledReason: null,
    });
    expect(res.json.id).toMatch(/^wh_/);
    expect(res.json.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(new Date(res.json.createdAt).toISOString()).toBe(res.json.createdAt);
    expect(await subscriptionsOf(res.json.id)).toEqual(["invoice.paid", "patient.created"]);
  });

  it("stores '*' as a subscription row of its own; active:false is kept", async () => {
    const admin = await client(uniqueOrg(), "admin");
    const hook = await createWebhook(admin, { events: ["*", "patient.created"], active: false });
    expect(hook.events).toEqual(["*", "patient.created"]);
    expect(hook.active).toBe(false);
    expect(await subscriptionsOf(hook.id)).toEqual(["*", "patient.created"]);
  });

  it.each([
    ["an unknown event type, named in the answer", { events: ["patient.created", "patient.exploded"] }, "patient.exploded"],
    ["no events", { events: [] }, "events"],
    ["too many events", { events: Array(100).fill("*") }, "events"],
    ["an unknown field", { secret: "whsec_mine" }, "secret"],
    ["a missing url", { url: undefined }, "url"],
    ["a URL over 2 KiB", { url: `https://receiver.example/${"a".repeat(2100)}` }, "url"],
    ["a private host", { url: "https://10.0.0.1/hook" }, "url"],
    ["a metadata host", { url: "http://169.254.169.254/latest" }, "url"],
    ["another scheme", { url: "ftp://receiver.example/hook" }, "url"],
    ["a reserved header", { headers: { "Content-Type": "text/plain" } }, "Content-Type"],
    ["a webhook-* header", { headers: { "Webhook-Signature": "v1,forged" } }, "Webhook-Signature"],
    ["a hop-by-hop header", { headers: { "transfer-encoding": "chunked" } }, "transfer-encoding"],
    ...["X-Forwarded-For", "x-forwarded-host", "CF-Connecting-IP", "cf-ray", "Forwarded", "X-Real-IP", "True-Client-IP", "Via"].map(
      (name) => [`a proxy/platform header (${name})`, { headers: { [name]: "10.0.0.1" } }, name] as [string, Record<string, unknown>, string],
    ),
    ["an invalid header name", { headers: { "X Bad": "1" } }, "X Bad"],
    ["a header value with a newline", { headers: { "X-A": "1\r\nHost: evil" } }, "X-A"],
    ["a header value over 1000 characters", { headers: { "X-A": "a".repeat(1001) } }, "X-A"],
    ["the same header twice", { headers: { "X-A": "1", "x-a": "2" } }, "x-a"],
    ["more than 20 headers", { headers: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, "v"])) }, "20"],
    ["a non-boolean active", { active: "yes" }, "active"],
  ])("refuses %s with 400 and writes nothing", async (_name, patch, mention) => {
    const admin = await client(uniqueOrg(), "admin");
    const res = await admin.post("/api/v1/webhooks", { url: HOOK_URL, events: ["*"], ...patch });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_error");
    expect(JSON.stringify(res.json.error)).toContain(mention);
    expect(await db.select().from(webhooks).where(eq(webhooks.org, admin.org))).toHaveLength(0);
  });

  it("refuses a non-JSON body (415) and malformed JSON (400)", async () => {
    const admin = await client(uniqueOrg(), "admin");
    const text = await call("POST", "/api/v1/webhooks", { token: admin.token, body: "url=x", headers: { "content-type": "text/plain" } });
    expect(text.status).toBe(415);
    const broken = await call("POST", "/api/v1/webhooks", { token: admin.token, body: "{" });
    expect(broken.status).toBe(400);
  });

  it.each(["viewer", "staff", "service"] as const)("forbids %s (403)", async (role) => {
    const org = uniqueOrg();
    const res = await (await client(org, role)).post("/api/v1/webhooks", { url: HOOK_URL, events: ["*"] });
    expect(res.status).toBe(403);
    expect(await db.select().from(webhooks).where(eq(webhooks.org, org))).toHaveLength(0);
  });

  it("needs a token (401)", async () => {
    expect((await call("POST", "/api/v1/webhooks", { body: { url: HOOK_URL, events: ["*"] } })).status).toBe(401);
  });
});

describe("GET /api/v1/webhooks and /:id", () => {
  it("gets one webhook without its secret, for every reading role", async () => {
    const org = uniqueOrg();
    const hook = await createWebhook(await client(org, "admin"));
    for (const role of ["viewer", "staff", "service", "admin"] as const) {
      const res = await (await client(org, role)).get(`/api/v1/webhooks/${hook.id}`);
      expect(res.status).toBe(200);
      expect(Object.keys(res.json).sort()).toEqual(PUBLIC_FIELDS);
      expect(res.text).not.toContain(hook.secret);
    }
  });

  it("404s for an unknown id and for another org's webhook", async () => {
    const hook = await createWebhook(await client(uniqueOrg(), "admin"));
    const stranger = await client(uniqueOrg(), "admin");
    for (const path of [`/api/v1/webhooks/${hook.id}`, "/api/v1/webhooks/wh_nope"]) {
      const res = await stranger.get(path);
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe("not_found");
      expect(res.text).not.toContain(HOOK_URL);
    }
  });

  it("lists newest first with keyset pages, filters by active and by event, and shows no secrets", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    const star = await createWebhook(admin, { events: ["*"] });
    const paid = await createWebhook(admin, { events: ["invoice.paid"] });
    const off = await createWebhook(admin, { events: ["invoice.paid"], active: false });
    const other = await createWebhook(admin, { events: ["patient.created"] });
    await createWebhook(await client(uniqueOrg(), "admin"));
    const viewer = await client(org, "viewer");

    const all = await viewer.get("/api/v1/webhooks");
    expect(all.status).toBe(200);
    expect(all.json.data.map((w: { id: string }) => w.id)).toEqual([other.id, off.id, paid.id, star.id]);
    expect(all.json.nextCursor).toBeNull();
    for (const secret of [star.secret, paid.secret, off.secret, other.secret]) expect(all.text).not.toContain(secret);
    expect(all.json.data.every((w: object) => !("secret" in w))).toBe(true);

    const first = await viewer.get("/api/v1/webhooks?limit=3");
    expect(first.json.data).toHaveLength(3);
    const second = await viewer.get(`/api/v1/webhooks?limit=3&cursor=${first.json.nextCursor}`);
    expect(second.json.data.map((w: { id: string }) => w.id)).toEqual([star.id]);
    expect(second.json.nextCursor).toBeNull();

    const ids = async (query: string) => (await viewer.get(`/api/v1/webhooks?${query}`)).json.data.map((w: { id: string }) => w.id);
    expect(await ids("active=false")).toEqual([off.id]);
    expect(await ids("active=true")).toEqual([other.id, paid.id, star.id]);
    // event=X: the webhooks that would receive X, i.e. subscribed to X or to "*".
    expect(await ids("event=invoice.paid")).toEqual([off.id, paid.id, star.id]);
    expect(await ids("event=invoice.paid&active=true")).toEqual([paid.id, star.id]);
    expect(await ids("event=*")).toEqual([star.id]);
  });

  it.each(["event=nope", "active=maybe", "limit=0", "limit=101", "cursor=garbage"])("refuses ?%s with 400", async (query) => {
    const res = await (await client(uniqueOrg(), "viewer")).get(`/api/v1/webhooks?${query}`);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_error");
  });
});

describe("DELETE /api/v1/webhooks/:id", () => {
  it("answers 204, removes the webhook and its subscriptions, and fails its pending deliveries", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    const hook = await createWebhook(admin, { events: ["*", "invoice.paid"] });
    const pending = await seedDelivery({ org, webhookId: hook.id });
    const done = await seedDelivery({ org, webhookId: hook.id, status: "succeeded", deliveredAt: new Date() });

    const res = await admin.delete(`/api/v1/webhooks/${hook.id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect(await webhookRow(hook.id)).toBeUndefined();
    expect(await subscriptionsOf(hook.id)).toEqual([]);
    expect(await deliveryRow(pending.deliveryId)).toMatchObject({ status: "failed", lastError: "webhook deleted", nextAttemptAt: null });
    expect(await deliveryRow(done.deliveryId)).toMatchObject({ status: "succeeded", lastError: null });
    expect((await admin.get(`/api/v1/webhooks/${hook.id}`)).status).toBe(404);
    expect((await admin.delete(`/api/v1/webhooks/${hook.id}`)).status).toBe(404);
  });

  it("404s for another org's webhook and changes nothing", async () => {
    const org = uniqueOrg();
    const hook = await createWebhook(await client(org, "admin"));
    const pending = await seedDelivery({ org, webhookId: hook.id });
    const res = await (await client(uniqueOrg(), "admin")).delete(`/api/v1/webhooks/${hook.id}`);
    expect(res.status).toBe(404);
    expect(await webhookRow(hook.id)).toBeDefined();
    expect(await subscriptionsOf(hook.id)).toEqual(["*"]);
    expect((await db.select().from(deliveries).where(eq(deliveries.id, pending.deliveryId)))[0]?.status).toBe("pending");
  });

  it.each(["viewer", "staff", "service"] as const)("forbids %s (403)", async (role) => {
    const org = uniqueOrg();
    const hook = await createWebhook(await client(org, "admin"));
    expect((await (await client(org, role)).delete(`/api/v1/webhooks/${hook.id}`)).status).toBe(403);
    expect(await webhookRow(hook.id)).toBeDefined();
  });
});
