import { describe, expect, it } from "vitest";
import { call, client, createWebhook, deliveriesOfEvent, eventsOfOrg, seedDelivery, uniqueOrg } from "../support";

const patient = { type: "patient.created", data: { patientId: "pat_1", name: "Rex" } };

describe("POST /api/v1/events", () => {
  it.each(["admin", "service"] as const)("accepts an event from %s (202) and fans out to '*' and exact subscribers only", async (role) => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    const star = await createWebhook(admin, { events: ["*"] });
    const exact = await createWebhook(admin, { events: ["patient.created", "*"] });
    await createWebhook(admin, { events: ["patient.updated"] });
    await createWebhook(admin, { events: ["patient.created"], active: false });
    await createWebhook(await client(uniqueOrg(), "admin"), { events: ["*"] });

    const res = await (await client(org, role)).post("/api/v1/events", patient);
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ id: expect.stringMatching(/^evt_/), type: "patient.created", createdAt: expect.stringMatching(/Z$/) });
    const rows = await deliveriesOfEvent(res.json.id);
    expect(rows.map((r) => r.webhookId).sort()).toEqual([star.id, exact.id].sort());
    expect(rows.every((r) => r.org === org && r.eventType === "patient.created")).toBe(true);
  });

  it.each(["viewer", "staff"] as const)("forbids %s (403) and stores nothing", async (role) => {
    const org = uniqueOrg();
    expect((await (await client(org, role)).post("/api/v1/events", patient)).status).toBe(403);
    expect(await eventsOfOrg(org)).toHaveLength(0);
  });

  it.each([
    ["an unknown type", { type: "patient.exploded", data: {} }, "patient.exploded"],
    ["data not matching the type's schema", { type: "invoice.paid", data: { amountCents: 5 } }, "data.invoiceId"],
    ["data that is not an object", { type: "invoice.paid", data: [1] }, "data"],
    ["an unknown field", { ...patient, org: "someone-else" }, "org"],
    ["no data", { type: "patient.created" }, "data"],
  ])("refuses %s with 400 and stores nothing", async (_name, body, mention) => {
    const admin = await client(uniqueOrg(), "admin");
    const res = await admin.post("/api/v1/events", body);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_error");
    expect(JSON.stringify(res.json.error)).toContain(mention);
    expect(await eventsOfOrg(admin.org)).toHaveLength(0);
  });

  it("replays an Idempotency-Key: the first answer, one event, one set of deliveries; another body is a 409", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    await createWebhook(admin, { events: ["*"] });
    await createWebhook(admin, { events: ["patient.created"] });
    const key = { "idempotency-key": "import-2026-01-31/patient/1" };

    const first = await admin.post("/api/v1/events", patient, key);
    const second = await admin.post("/api/v1/events", { data: { name: "Rex", patientId: "pat_1" }, type: "patient.created" }, key);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.json).toEqual(first.json);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await eventsOfOrg(org)).toHaveLength(1);
    expect(await deliveriesOfEvent(first.json.id)).toHaveLength(2);

    const other = await admin.post("/api/v1/events", { ...patient, data: { patientId: "pat_2" } }, key);
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe("conflict");
    expect(await eventsOfOrg(org)).toHaveLength(1);

    // Keys are per org: the same key elsewhere is a new event.
    const elsewhere = await (await client(uniqueOrg(), "service")).post("/api/v1/events", patient, key);
    expect(elsewhere.status).toBe(202);
    expect(elsewhere.json.id).not.toBe(first.json.id);
  });

  it.each([
    ["too long", "k".repeat(256)],
    ["non-printable", "a\u0001b"],
  ])("refuses an Idempotency-Key that is %s (400)", async (_name, value) => {
    const admin = await client(uniqueOrg(), "admin");
    const res = await call("POST", "/api/v1/events", { token: admin.token, body: patient, headers: { "idempotency-key": value } }).catch(
      // Fetch itself may refuse a control character in a header; then nothing reached us.
      () => ({ status: 400, json: { error: { code: "validation_error" } } }),
    );
    expect(res.status).toBe(400);
    expect(await eventsOfOrg(admin.org)).toHaveLength(0);
  });
});

describe("GET /api/v1/events and /:id", () => {
  it("lists newest first, by type, in keyset pages; gets one with its deliveries", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    const hook = await createWebhook(admin, { events: ["invoice.paid"] });
    const a = (await admin.post("/api/v1/events", patient)).json;
    const b = (await admin.post("/api/v1/events", { type: "invoice.paid", data: { invoiceId: "inv_1" } })).json;
    const c = (await admin.post("/api/v1/events", { type: "patient.updated", data: { patientId: "pat_1" } })).json;
    const d = (await admin.post("/api/v1/events", { type: "patient.deleted", data: { patientId: "pat_1" } })).json;
    const viewer = await client(org, "viewer");

    const all = await viewer.get("/api/v1/events?limit=3");
    expect(all.status).toBe(200);
    expect(all.json.data).toHaveLength(3);
    const rest = await viewer.get(`/api/v1/events?limit=3&cursor=${all.json.nextCursor}`);
    expect([...all.json.data, ...rest.json.data].map((e: { id: string }) => e.id)).toEqual([d.id, c.id, b.id, a.id]);
    expect(rest.json.nextCursor).toBeNull();

    const paid = await viewer.get("/api/v1/events?type=invoice.paid");
    expect(paid.json.data).toEqual([{ id: b.id, type: "invoice.paid", data: { invoiceId: "inv_1" }, createdAt: b.createdAt }]);
    expect((await viewer.get("/api/v1/events?type=nope")).status).toBe(400);

    const one = await viewer.get(`/api/v1/events/${b.id}`);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ id: b.id, type: "invoice.paid", data: { invoiceId: "inv_1" }, createdAt: b.createdAt });
    expect(one.json.deliveries).toHaveLength(1);
    expect(one.json.deliveries[0]).toMatchObject({ webhookId: hook.id, eventId: b.id, eventType: "invoice.paid" });
    expect((await viewer.get(`/api/v1/events/${a.id}`)).json.deliveries).toEqual([]);
  });

  it("404s for another org's event, showing none of it", async () => {
    const org = uniqueOrg();
    const hook = await createWebhook(await client(org, "admin"));
    const d = await seedDelivery({ org, webhookId: hook.id });
    const stranger = await client(uniqueOrg(), "admin");
    const res = await stranger.get(`/api/v1/events/${d.eventId}`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain("pat");
    expect((await stranger.get("/api/v1/events")).json.data).toEqual([]);
  });
});
