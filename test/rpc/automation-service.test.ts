import { createExecutionContext, env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AutomationService } from "../../src/rpc/automation-service";
import { client, createWebhook, deliveriesOfEvent, eventsOfOrg, uniqueOrg } from "../support";

// The named entrypoint as another Worker reaches it through a service binding. Rejections
// across that loopback RPC are also reported to vitest as unhandled (a workerd quirk), so the
// error cases call an instance of the class directly: the same method, without the transport.
const service = exports.AutomationService;
const direct = new AutomationService(createExecutionContext(), env);

const nested = (depth: number): unknown => {
  let value: unknown = {};
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};

describe("AutomationService.publish (RPC)", () => {
  it("publishes through the same path as POST /events: stored, fanned out, answered", async () => {
    const org = uniqueOrg();
    const hook = await createWebhook(await client(org, "admin"), { events: ["invoice.overdue"] });
    const result = await service.publish(org, { type: "invoice.overdue", data: { invoiceId: "inv_9" } });
    expect(result).toEqual({ id: expect.stringMatching(/^evt_/), type: "invoice.overdue", createdAt: expect.stringMatching(/Z$/), replayed: false });
    expect((await deliveriesOfEvent(result.id)).map((d) => d.webhookId)).toEqual([hook.id]);
    // Visible through the HTTP API like any other event.
    expect((await (await client(org, "viewer")).get(`/api/v1/events/${result.id}`)).status).toBe(200);
  });

  it("honours the idempotency key, shared with the HTTP route", async () => {
    const org = uniqueOrg();
    const event = { type: "patient.created", data: { patientId: "p1" } };
    const first = await service.publish(org, event, "rpc-key-1");
    const again = await service.publish(org, event, "rpc-key-1");
    expect(again).toEqual({ ...first, replayed: true });
    const http = await (await client(org, "service")).post("/api/v1/events", event, { "idempotency-key": "rpc-key-1" });
    expect(http.json.id).toBe(first.id);
    await expect(direct.publish(org, { ...event, data: { patientId: "p2" } }, "rpc-key-1")).rejects.toThrow(/^conflict:/);
    expect(await eventsOfOrg(org)).toHaveLength(1);
  });

  it("stores data as JSON would carry it, as POST /events would have", async () => {
    const org = uniqueOrg();
    const result = await direct.publish(org, { type: "patient.created", data: { patientId: "p1", seenAt: new Date(0), gone: undefined } });
    const stored = await (await client(org, "viewer")).get(`/api/v1/events/${result.id}`);
    expect(stored.json.data).toEqual({ patientId: "p1", seenAt: "1970-01-01T00:00:00.000Z" });
  });

  it.each([
    ["a bad org", "not an org!", { type: "patient.created", data: { patientId: "p1" } }, undefined],
    ["an empty org", "", { type: "patient.created", data: { patientId: "p1" } }, undefined],
    ["an unknown type", "org-x", { type: "nope", data: {} }, undefined],
    ["invalid data", "org-x", { type: "patient.created", data: {} }, undefined],
    ["a too long key", "org-x", { type: "patient.created", data: { patientId: "p1" } }, "k".repeat(256)],
    ["a non-finite number", "org-x", { type: "patient.created", data: { patientId: "p1", weight: Number.NaN } }, undefined],
    ["a BigInt", "org-x", { type: "patient.created", data: { patientId: "p1", chip: 1n } }, undefined],
    // Deep enough to overflow the Idempotency-Key's hashing before nesting was bounded.
    ["data nested 5,000 deep, with a key", "org-x", { type: "patient.created", data: { patientId: "p1", deep: nested(5000) } }, "deep-1"],
  ])("rejects %s with a validation_error and stores nothing", async (_name, org, event, key) => {
    await expect(direct.publish(org, event, key)).rejects.toThrow(/^validation_error:/);
    if (org) expect(await eventsOfOrg(org)).toHaveLength(0);
  });
});
