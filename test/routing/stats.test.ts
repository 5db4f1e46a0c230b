// GET /webhooks/:id/stats: counts from deliveries, latency from attempts, cheap at 1,000,000 attempts.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { countDeliveriesByStatus, insertDeliveries } from "../../src/db/repositories/deliveries";
import { summarizeAttempts } from "../../src/db/repositories/delivery-attempts";
import { deliveryAttempts, events } from "../../src/db/schema";
import { recordingD1 } from "./d1-meter";
import { client, createWebhook, db, uniqueOrg } from "../support";

const HOUR = 3_600_000;

async function seedWebhook() {
  const org = uniqueOrg();
  const admin = await client(org, "admin");
  return { org, admin, hook: await createWebhook(admin) };
}

describe("GET /api/v1/webhooks/:id/stats", () => {
  it("counts the window's deliveries by status and gives nearest-rank latency percentiles", async () => {
    const { org, admin, hook } = await seedWebhook();
    const now = Date.now();
    const rows = (["succeeded", "succeeded", "succeeded", "failed", "pending"] as const).map((status, i) => ({
      id: `msg_stats${i}${org}`,
      org,
      webhookId: hook.id,
      eventId: `evt_stats${i}`,
      eventType: "patient.created",
      status,
      createdAt: new Date(now - HOUR),
      updatedAt: new Date(now - HOUR),
    }));
    const old = { ...rows[3]!, id: `msg_statsold${org}`, createdAt: new Date(now - 48 * HOUR) };
    // Deliveries belong to events (a foreign key): their events first.
    const eventIds = [...new Set([...rows, old].map((r) => r.eventId))];
    await db.insert(events).values(eventIds.map((id) => ({ id, org, type: "patient.created", data: {}, createdAt: new Date(now - HOUR) })));
    for (const s of insertDeliveries(db, [...rows, old])) await s;
    // 100 attempts of 1..100 ms; the last success and the last failure at known times.
    const attempt = (i: number, statusCode: number | null, atMs: number) => ({
      deliveryId: rows[0]!.id,
      org,
      webhookId: hook.id,
      attempt: i,
      statusCode,
      durationMs: i,
      at: new Date(atMs),
    });
    const attempts = Array.from({ length: 100 }, (_, k) => attempt(k + 1, k % 10 === 0 ? 500 : 200, now - 2 * HOUR + k * 1000));
    attempts[99] = attempt(100, null, now - 10 * 60_000); // a network error, the latest attempt
    attempts.push(attempt(101, 200, now - 30 * HOUR)); // outside the window
    for (let i = 0; i < attempts.length; i += 10) await db.insert(deliveryAttempts).values(attempts.slice(i, i + 10));

    const res = await admin.get(`/api/v1/webhooks/${hook.id}/stats`);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ succeeded: 3, failed: 1, pending: 1, successRate: 0.75, latencyMs: { p50: 50, p95: 95, p99: 99 } });
    expect(Date.parse(res.json.until) - Date.parse(res.json.since)).toBe(24 * HOUR);
    expect(res.json.lastFailureAt).toBe(new Date(now - 10 * 60_000).toISOString());
    expect(res.json.lastSuccessAt).toBe(new Date(now - 2 * HOUR + 98 * 1000).toISOString());

    const wider = await admin.get(`/api/v1/webhooks/${hook.id}/stats?since=${new Date(now - 72 * HOUR).toISOString()}`);
    expect(wider.json).toMatchObject({ failed: 2, latencyMs: { p50: 51 } });
  });

  it("answers nulls, not zeros, for a quiet webhook", async () => {
    const { admin, hook } = await seedWebhook();
    const res = await admin.get(`/api/v1/webhooks/${hook.id}/stats`);
    expect(res.json).toMatchObject({
      succeeded: 0,
      failed: 0,
      pending: 0,
      successRate: null,
      latencyMs: { p50: null, p95: null, p99: null },
      lastSuccessAt: null,
      lastFailureAt: null,
    });
  });

  it("is for viewers of the webhook's org only, with a valid past since", async () => {
    const { org, hook } = await seedWebhook();
    expect((await (await client(org, "viewer")).get(`/api/v1/webhooks/${hook.id}/stats`)).status).toBe(200);
    expect((await (await client(uniqueOrg(), "viewer")).get(`/api/v1/webhooks/${hook.id}/stats`)).status).toBe(404);
    const viewer = await client(org, "viewer");
    expect((await viewer.get(`/api/v1/webhooks/${hook.id}/stats?since=nope`)).status).toBe(400);
    expect((await viewer.get(`/api/v1/webhooks/${hook.id}/stats?since=2999-01-01T00:00:00.000Z`)).status).toBe(400);
  });

  it("reads only the window's index entries with 1,000,000 attempts in the table", async () => {
    const { org, hook } = await seedWebhook();
    const now = Date.now();
    // 1,000,000 attempts over 30 days; one in ten is this webhook's, so ~3,300 fall in its last 24 h.
    // Attempts belong to deliveries and deliveries to events (foreign keys): one event and 200,001
    // deliveries, of another webhook and older than the window, so only the attempts are in it.
    await env.DB.prepare("INSERT INTO events (id, org, type, data, created_at) VALUES ('evt_load', ?1, 'patient.created', '{}', ?2)")
      .bind(org, now)
      .run();
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
       INSERT INTO deliveries (id, org, webhook_id, event_id, event_type, status, created_at, updated_at)
       SELECT 'msg_load' || i, ?1, 'wh_load', 'evt_load', 'patient.created', 'succeeded', ?2, ?2 FROM n`,
    )
      .bind(org, now - 40 * 24 * HOUR)
      .run();
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
       INSERT INTO delivery_attempts (delivery_id, org, webhook_id, attempt, status_code, duration_ms, at)
       SELECT 'msg_load' || (i / 5), ?1, CASE WHEN i % 10 = 0 THEN ?2 ELSE 'wh_load' || (i % 10) END, i % 5, 200, i % 997, ?3 - i * 2592 FROM n`,
    )
      .bind(org, hook.id, now)
      .run();
    const inWindow = await env.DB.prepare("SELECT count(*) AS n FROM delivery_attempts WHERE webhook_id = ? AND at >= ?")
      .bind(hook.id, now - 24 * HOUR)
      .first<{ n: number }>();

    const meter = recordingD1();
    const window = { since: new Date(now - 24 * HOUR), until: new Date(now + 1) };
    const metered = createDb(meter.d1);
    const summary = await summarizeAttempts(metered, org, hook.id, window);
    await countDeliveriesByStatus(metered, org, hook.id, window);
    expect(summary.attempts).toBe(inWindow!.n);
    const rowsRead = await meter.rowsRead();
    console.log(`stats rows read: ${rowsRead} for ${inWindow!.n} attempts in the window, 1,000,000 in the table`);
    // A few passes over the window's index entries (range, sort, window functions), never the
    // table: the cost follows the window, not the 1,000,000 rows.
    expect(rowsRead).toBeLessThan(inWindow!.n * 8 + 50);
    expect(rowsRead).toBeLessThan(50_000);
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${meter.runs[0]!.sql}`)
      .bind(...meter.runs[0]!.params)
      .all<{ detail: string }>();
    expect(plan.results.map((r) => r.detail).join("\n")).toMatch(/COVERING INDEX delivery_attempts_webhook_at/);
  }, 60_000);
});
