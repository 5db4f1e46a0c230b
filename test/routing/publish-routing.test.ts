// Wildcards, filters and event schemas through the API: decided at publish, in the rows written.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { publishEvent } from "../../src/events/publish";
import { type Client, client, createWebhook, deliveriesOfEvent, deliveryRow, uniqueOrg, webhookRow } from "../support";
import { countingD1 } from "./d1-meter";

const publish = async (admin: Client, type: string, data: Record<string, unknown>) => {
  const res = await admin.post("/api/v1/events", { type, data });
  expect(res.status, res.text).toBe(202);
  return (await deliveriesOfEvent(res.json.id)).map((d) => d.webhookId).sort();
};

describe("wildcard topics", () => {
  it("resource.* receives every type of that resource and nothing else", async () => {
    const admin = await client(uniqueOrg(), "admin");
    const appointments = await createWebhook(admin, { events: ["appointment.*"] });
    const all = await createWebhook(admin, { events: ["*"] });
    expect(appointments.events).toEqual(["appointment.*"]);
    expect(await publish(admin, "appointment.cancelled", { appointmentId: "a1" })).toEqual([appointments.id, all.id].sort());
    expect(await publish(admin, "invoice.paid", { invoiceId: "i1" })).toEqual([all.id]);
  });

  it("one delivery when a webhook's items overlap", async () => {
    const admin = await client(uniqueOrg(), "admin");
    const hook = await createWebhook(admin, { events: ["appointment.created", "appointment.*", "*"] });
    expect(await publish(admin, "appointment.created", { appointmentId: "a1" })).toEqual([hook.id]);
  });

  it("refuses an unknown resource wildcard with the path", async () => {
    const admin = await client(uniqueOrg(), "admin");
    const res = await admin.post("/api/v1/webhooks", { url: "https://receiver.example/hook", events: ["unicorn.*"] });
    expect(res.status).toBe(400);
    expect(res.json.error.details[0].path).toBe("events.0");
  });

  it("lists the resource.* subscribers under ?event=", async () => {
    const admin = await client(uniqueOrg(), "admin");
    const hook = await createWebhook(admin, { events: ["invoice.*"] });
    await createWebhook(admin, { events: ["patient.*"] });
    const res = await admin.get("/api/v1/webhooks?event=invoice.paid");
    expect(res.json.data.map((w: { id: string }) => w.id)).toEqual([hook.id]);
  });
});

describe("payload filters", () => {
  it("a filter on data.patientId delivers only matching events", async () => {
    const admin = await client(uniqueOrg(), "admin");
    const rex = await createWebhook(admin, { events: ["appointment.*"], filter: { "data.patientId": "pat_rex" } });
    const big = await createWebhook(admin, {
      events: ["invoice.paid"],
      filter: { "data.amountCents": { $gte: 10000 }, "data.currency": { $in: ["USD", "EUR"] } },
    });
    expect(rex.filter).toEqual({ "data.patientId": "pat_rex" });
    expect(await publish(admin, "appointment.created", { appointmentId: "a1", patientId: "pat_rex" })).toEqual([rex.id]);
    expect(await publish(admin, "appointment.created", { appointmentId: "a2", patientId: "pat_tom" })).toEqual([]);
    expect(await publish(admin, "appointment.created", { appointmentId: "a3" })).toEqual([]);
    expect(await publish(admin, "invoice.paid", { invoiceId: "i1", amountCents: 12000, currency: "EUR" })).toEqual([big.id]);
    expect(await publish(admin, "invoice.paid", { invoiceId: "i2", amountCents: 9999, currency: "EUR" })).toEqual([]);
    // A field the catalog schema does not name can be filtered on too.
    const chip = await createWebhook(admin, { events: ["patient.created"], filter: { "data.microchip": { $exists: true } } });
    expect(await publish(admin, "patient.created", { patientId: "p", microchip: "981" })).toEqual([chip.id]);
  });

  it("refuses a bad filter with 400 and the path of each problem, and changes nothing", async () => {
    const admin = await client(uniqueOrg(), "admin");
    const res = await admin.post("/api/v1/webhooks", {
      url: "https://receiver.example/hook",
      events: ["*"],
      filter: { "data.patientId": { $regex: "^pat" }, "data.amountCents": { $gt: "5" }, "data.x": { $in: [1], $ne: 2 } },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_error");
    expect(res.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual(
      ["filter.data.amountCents.$gt", "filter.data.patientId.$regex", "filter.data.x"].sort(),
    );
    expect((await admin.get("/api/v1/webhooks")).json.data).toEqual([]);
  });

  it("PUT sets, replaces and clears filter, rateLimit and ordered", async () => {
    const admin = await client(uniqueOrg(), "admin");
    const hook = await createWebhook(admin);
    expect(hook).toMatchObject({ filter: null, rateLimit: null, ordered: false });
    let res = await admin.put(`/api/v1/webhooks/${hook.id}`, { filter: { type: "invoice.paid" }, rateLimit: 5, ordered: true });
    expect(res.json).toMatchObject({ filter: { type: "invoice.paid" }, rateLimit: 5, ordered: true });
    res = await admin.put(`/api/v1/webhooks/${hook.id}`, { filter: null, rateLimit: null });
    expect(res.json).toMatchObject({ filter: null, rateLimit: null, ordered: true });
    for (const bad of [{ rateLimit: 0 }, { rateLimit: 1001 }, { rateLimit: 2.5 }, { ordered: "yes" }, { filter: {} }]) {
      const refused = await admin.put(`/api/v1/webhooks/${hook.id}`, bad);
      expect(refused.status, JSON.stringify(bad)).toBe(400);
      expect(refused.json.error.details[0].path, JSON.stringify(bad)).toMatch(new RegExp(`^${Object.keys(bad)[0]}`));
    }
    expect(await webhookRow(hook.id)).toMatchObject({ filter: null, rateLimit: null, ordered: true });
  });
});

describe("event schemas", () => {
  it("event-types carries each type's JSON Schema and example, webhook.disabled included", async () => {
    const viewer = await client(uniqueOrg(), "viewer");
    const res = await viewer.get("/api/v1/webhooks/event-types");
    const invoice = res.json.data.find((t: { type: string }) => t.type === "invoice.paid");
    expect(invoice.schema).toMatchObject({ type: "object", required: ["invoiceId"], properties: { amountCents: { type: "integer" } } });
    expect(invoice.example.invoiceId).toBeDefined();
    expect(res.json.data.map((t: { type: string }) => t.type)).toContain("webhook.disabled");
  });

  it("the OpenAPI document carries the schemas with their examples", async () => {
    const doc = (await (await client(uniqueOrg(), "viewer")).get("/api/v1/openapi.json")).json;
    expect(doc.components.schemas.InvoicePaidEventData.example.invoiceId).toBeDefined();
    expect(doc.components.schemas.WebhookDisabledEventData.properties.reason).toBeDefined();
    expect(doc.components.schemas.EventType.properties.schema).toBeDefined();
  });

  it("publish refuses data that does not fit, with the paths; extra fields pass and are delivered", async () => {
    const admin = await client(uniqueOrg(), "admin");
    const res = await admin.post("/api/v1/events", { type: "invoice.paid", data: { invoiceId: 7, amountCents: "12" } });
    expect(res.status).toBe(400);
    expect(res.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["data.amountCents", "data.invoiceId"]);
    const ok = await admin.post("/api/v1/events", { type: "invoice.paid", data: { invoiceId: "i1", loyaltyTier: "gold" } });
    expect((await admin.get(`/api/v1/events/${ok.json.id}`)).json.data).toEqual({ invoiceId: "i1", loyaltyTier: "gold" });
  });
});

describe("test send with an event type", () => {
  it("sends the type's example to this endpoint alone, whatever it subscribes to or filters", async () => {
    const admin = await client(uniqueOrg(), "admin");
    const hook = await createWebhook(admin, { events: ["invoice.paid"], filter: { "data.invoiceId": "none" } });
    await createWebhook(admin, { events: ["*"] });
    const res = await admin.post(`/api/v1/webhooks/${hook.id}/test`, { eventType: "appointment.created" });
    expect(res.status, res.text).toBe(202);
    const delivery = await deliveryRow(res.json.deliveryId);
    expect(delivery).toMatchObject({ webhookId: hook.id, eventType: "appointment.created" });
    expect(await deliveriesOfEvent(delivery!.eventId)).toHaveLength(1);
    const event = (await admin.get(`/api/v1/events/${delivery!.eventId}`)).json;
    const types = (await admin.get("/api/v1/webhooks/event-types")).json.data;
    expect(event.data).toEqual(types.find((t: { type: string }) => t.type === "appointment.created").example);
  });

  it("defaults to webhook.test and refuses an unknown type", async () => {
    const admin = await client(uniqueOrg(), "admin");
    const hook = await createWebhook(admin);
    const plain = await admin.post(`/api/v1/webhooks/${hook.id}/test`);
    expect((await deliveryRow(plain.json.deliveryId))!.eventType).toBe("webhook.test");
    const bad = await admin.post(`/api/v1/webhooks/${hook.id}/test`, { eventType: "nope.created" });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].path).toBe("eventType");
  });
});

describe("publish cost", () => {
  it("a publish to 100 matching subscribers costs 2 D1 round trips and 1 queue send", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    for (let i = 0; i < 100; i++) {
      await createWebhook(admin, { events: [i % 2 ? "patient.*" : "*"], filter: i % 3 ? null : { "data.patientId": "p1" } });
    }
    const counted = countingD1(env.DB);
    const sends: number[] = [];
    const queue = { sendBatch: async (messages: unknown[]) => void sends.push(messages.length) } as unknown as Queue;
    const result = await publishEvent(createDb(counted.d1), queue, org, { type: "patient.created", data: { patientId: "p1" } });
    expect(await deliveriesOfEvent(result.event.id)).toHaveLength(100);
    expect(counted.roundTrips()).toBe(2);
    expect(sends).toEqual([100]);
  }, 30_000);
});
