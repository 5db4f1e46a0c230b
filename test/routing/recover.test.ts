// POST /webhooks/:id/recover: failed deliveries of a window go out again, once, in bounded batches.
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deliveries } from "../../src/db/schema";
import { RECOVER_BATCH, recoverFailedDeliveries } from "../../src/webhooks/recover";
import { client, createWebhook, db, deliveryRow, seedDelivery, uniqueOrg } from "../support";

const at = (iso: string) => new Date(iso);
const window = { since: "2026-03-01T00:00:00.000Z", until: "2026-03-02T00:00:00.000Z" };

/** A queue that records what was sent instead of sending it. */
function recordingQueue() {
  const sent: string[] = [];
  const sizes: number[] = [];
  const queue = {
    sendBatch: async (messages: { body: { deliveryId: string } }[]) => {
      sizes.push(messages.length);
      sent.push(...messages.map((m) => m.body.deliveryId));
    },
  } as unknown as Queue;
  return { queue, sent, sizes };
}

async function seed() {
  const org = uniqueOrg();
  const admin = await client(org, "admin");
  const hook = await createWebhook(admin);
  const failed = (createdAt: string, attempts = 5) =>
    seedDelivery({ org, webhookId: hook.id, status: "failed", attempts, createdAt: at(createdAt), updatedAt: at(createdAt), lastError: "HTTP 500" });
  const inWindow = [await failed("2026-03-01T01:00:00.000Z"), await failed("2026-03-01T12:00:00.000Z", 3)];
  const before = await failed("2026-02-28T23:59:59.999Z");
  const atUntil = await failed("2026-03-02T00:00:00.000Z");
  const succeeded = await seedDelivery({ org, webhookId: hook.id, status: "succeeded", createdAt: at("2026-03-01T02:00:00.000Z") });
  return { org, admin, hook, inWindow, before, atUntil, succeeded };
}

describe("POST /api/v1/webhooks/:id/recover", () => {
  it("re-sends each failed delivery created in [since, until) with a fresh schedule, and a second call doubles nothing", async () => {
    const s = await seed();
    const q = recordingQueue();
    const now = new Date();
    const first = await recoverFailedDeliveries(db, q.queue, s.org, s.hook.id, { since: at(window.since), until: at(window.until) }, now);
    expect(first).toEqual({ count: 2, more: false });
    expect(q.sent.sort()).toEqual(s.inWindow.map((d) => d.deliveryId).sort());
    for (const d of s.inWindow) {
      const row = await deliveryRow(d.deliveryId);
      expect(row).toMatchObject({ status: "pending", nextAttemptAt: now, deliveredAt: null });
      expect(row!.scheduleStart).toBe(row!.attempts);
    }
    expect((await deliveryRow(s.before.deliveryId))!.status).toBe("failed");
    expect((await deliveryRow(s.atUntil.deliveryId))!.status).toBe("failed");
    expect((await deliveryRow(s.succeeded.deliveryId))!.status).toBe("succeeded");

    const second = await recoverFailedDeliveries(db, q.queue, s.org, s.hook.id, { since: at(window.since), until: at(window.until) }, new Date());
    expect(second).toEqual({ count: 0, more: false });
    expect(q.sent).toHaveLength(2);
    expect(await db.select().from(deliveries).where(eq(deliveries.webhookId, s.hook.id))).toHaveLength(5);
  });

  it("answers 202 {count} through the API, and 0 the second time", async () => {
    const s = await seed();
    const res = await s.admin.post(`/api/v1/webhooks/${s.hook.id}/recover`, window);
    expect(res.status, res.text).toBe(202);
    expect(res.json).toEqual({ count: 2, more: false });
    expect((await s.admin.post(`/api/v1/webhooks/${s.hook.id}/recover`, window)).json).toEqual({ count: 0, more: false });
  });

  it("works through 10,000 failed deliveries in bounded batches", async () => {
    const org = uniqueOrg();
    const hook = await createWebhook(await client(org, "admin"));
    const base = at("2026-03-01T00:00:00.000Z").getTime();
    // Deliveries belong to events (a foreign key): the events first.
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
       INSERT INTO events (id, org, type, data, created_at) SELECT 'evt_bulk' || i, ?1, 'patient.created', '{}', ?2 + i FROM n`,
    )
      .bind(org, base)
      .run();
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
       INSERT INTO deliveries (id, org, webhook_id, event_id, event_type, status, attempts, created_at, updated_at)
       SELECT 'msg_bulk' || i, ?1, ?2, 'evt_bulk' || i, 'patient.created', 'failed', 5, ?3 + i, ?3 + i FROM n`,
    )
      .bind(org, hook.id, base)
      .run();
    const q = recordingQueue();
    const result = await recoverFailedDeliveries(db, q.queue, org, hook.id, { since: at(window.since), until: at(window.until) }, new Date());
    expect(result).toEqual({ count: 10_000, more: false });
    expect(new Set(q.sent).size).toBe(10_000);
    expect(Math.max(...q.sizes)).toBeLessThanOrEqual(100);
    expect(q.sizes.length).toBe(100);
    expect(RECOVER_BATCH).toBeLessThan(10_000);
    const left = await env.DB.prepare("SELECT count(*) AS n FROM deliveries WHERE webhook_id = ? AND status = 'failed'")
      .bind(hook.id)
      .first<{ n: number }>();
    expect(left!.n).toBe(0);
  }, 30_000);

  it("refuses bad windows (400), viewers (403), other orgs (404) and inactive webhooks (409)", async () => {
    const s = await seed();
    const path = `/api/v1/webhooks/${s.hook.id}/recover`;
    for (const body of [{}, { since: "yesterday" }, { since: window.until, until: window.since }, { ...window, extra: 1 }]) {
      const res = await s.admin.post(path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await (await client(s.org, "viewer")).post(path, window)).status).toBe(403);
    expect((await (await client(uniqueOrg(), "admin")).post(path, window)).status).toBe(404);
    await s.admin.put(`/api/v1/webhooks/${s.hook.id}`, { active: false });
    expect((await s.admin.post(path, window)).status).toBe(409);
    expect((await deliveryRow(s.inWindow[0]!.deliveryId))!.status).toBe("failed");
  });
});
