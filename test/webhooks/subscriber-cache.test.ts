// Subscribers kept in the isolate between publishes (src/webhooks/subscribers.ts): whatever
// changed since they were read, an event goes exactly where a fresh read would send it.
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { commit } from "../../src/db/client";
import { applyWebhookHealth } from "../../src/db/repositories/webhooks";
import { deliveries, events, subscriptionVersions, webhooks } from "../../src/db/schema";
import { prepareEvent, publishEvent } from "../../src/events/publish";
import {
  isStaleSubscribers,
  MAX_ENTRIES,
  MAX_SUBSCRIBERS,
  type SubscriberSnapshot,
  subscribersOf,
  subscriptionGuardStatement,
  withSubscribers,
} from "../../src/webhooks/subscribers";
import { client, createWebhook, db, eventsOfOrg, seedWebhook, startWorkflow, uniqueOrg } from "../support";
import { saveTemplate, startInstance } from "../templates/helpers";

const versionOf = async (org: string) => (await db.select().from(subscriptionVersions).where(eq(subscriptionVersions.org, org)))[0]?.version ?? null;
const receivers = async (eventId: string) =>
  (await db.select().from(deliveries).where(eq(deliveries.eventId, eventId))).map((d) => d.webhookId).sort();
const publish = (org: string, key?: string) => publishEvent(db, env.DELIVERY_QUEUE, org, { type: "invoice.paid", data: { invoiceId: "inv_1" } }, key);

describe("the subscription version", () => {
  it("moves with every change that can change where events go, and with nothing else", async () => {
    const admin = await client(uniqueOrg(), "admin");
    expect(await versionOf(admin.org)).toBeNull();
    const seen = new Set<string | null>([null]);
    // Each step must leave a version never seen before (moved) or the last one (unmoved).
    const expectMoved = async (moved: boolean) => {
      const version = await versionOf(admin.org);
      if (moved) expect(seen.has(version)).toBe(false);
      else expect(version).toBe([...seen].at(-1));
      seen.add(version);
    };

    const hook = await createWebhook(admin, { events: ["invoice.paid"] });
    await expectMoved(true);
    await admin.put(`/api/v1/webhooks/${hook.id}`, { events: ["invoice.paid", "invoice.created"] });
    await expectMoved(true);
    await admin.put(`/api/v1/webhooks/${hook.id}`, { active: false });
    await expectMoved(true);
    await admin.put(`/api/v1/webhooks/${hook.id}`, { active: true });
    await expectMoved(true);
    await admin.put(`/api/v1/webhooks/${hook.id}`, { filter: { "data.invoiceId": "inv_2" } });
    await expectMoved(true);

    await admin.put(`/api/v1/webhooks/${hook.id}`, { description: "billing", url: "https://other.example/in" });
    await expectMoved(false);
    // The consumer's health statements: a failure under the threshold moves only a counter.
    await applyWebhookHealth(db, admin.org, hook.id, { kind: "failure", disableAfter: 5 }, new Date());
    await applyWebhookHealth(db, admin.org, hook.id, { kind: "success" }, new Date());
    await expectMoved(false);
    // Reaching it disables the webhook: that moves the version.
    await applyWebhookHealth(db, admin.org, hook.id, { kind: "failure", disableAfter: 1 }, new Date());
    expect((await db.select().from(webhooks).where(eq(webhooks.id, hook.id)))[0]?.active).toBe(false);
    await expectMoved(true);

    await admin.delete(`/api/v1/webhooks/${hook.id}`);
    await expectMoved(true);
  });

  it("moves even when the statement firing a trigger carries an OR clause", async () => {
    const org = uniqueOrg();
    const { id } = await seedWebhook(org, { types: ["invoice.paid"] });
    const before = await versionOf(org);
    await env.DB.prepare("INSERT OR IGNORE INTO webhook_event_types (webhook_id, org, event_type) VALUES (?, ?, 'invoice.created')")
      .bind(id, org)
      .run();
    const added = await versionOf(org);
    expect(added).not.toBe(before);
    await env.DB.prepare("UPDATE OR IGNORE webhooks SET active = 0 WHERE id = ?").bind(id).run();
    expect(await versionOf(org)).not.toBe(added);
  });

  it("is kept by six triggers (a migration rebuilding a table must create them again)", async () => {
    const { results } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'subscription_version_%'").all<{
      name: string;
    }>();
    expect(results.map((r) => r.name).sort()).toEqual(
      ["on_subscribe", "on_unsubscribe", "on_subscription_update", "on_webhook_insert", "on_webhook_update", "on_webhook_delete"]
        .map((n) => `subscription_version_${n}`)
        .sort(),
    );
  });

  it("belongs to one org: another org's changes leave it alone", async () => {
    const org = uniqueOrg();
    await seedWebhook(org, { types: ["*"] });
    const before = await versionOf(org);
    await seedWebhook(uniqueOrg("other"), { types: ["*"] });
    expect(await versionOf(org)).toBe(before);
  });
});

describe("cached subscribers", () => {
  it("are read once, then served from the isolate", async () => {
    const org = uniqueOrg();
    const first = await subscribersOf(db, org, ["invoice.paid"]);
    expect(await subscribersOf(db, org, ["invoice.paid"])).toBe(first);
    expect(await subscribersOf(db, org, ["invoice.paid"], { fresh: true })).not.toBe(first);
  });

  it("hold at most MAX_ENTRIES lists: the oldest goes first", async () => {
    const orgs = Array.from({ length: MAX_ENTRIES + 1 }, () => uniqueOrg("bound"));
    const oldest = await subscribersOf(db, orgs[0]!, ["invoice.paid"]);
    for (let i = 1; i < orgs.length; i += 50) await Promise.all(orgs.slice(i, i + 50).map((org) => subscribersOf(db, org, ["invoice.paid"])));
    const newest = await subscribersOf(db, orgs.at(-1)!, ["invoice.paid"]);
    expect(await subscribersOf(db, orgs.at(-1)!, ["invoice.paid"])).toBe(newest);
    expect(await subscribersOf(db, orgs[0]!, ["invoice.paid"])).not.toBe(oldest);
  });

  it("hold at most MAX_SUBSCRIBERS subscribers together, and never one list longer than that", async () => {
    const withWebhooks = async (count: number) => {
      const org = uniqueOrg("many");
      // Bulk rows in SQL: thousands of webhooks through the API would take minutes.
      const numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)";
      await env.DB.batch([
        env.DB.prepare(
          `${numbers} INSERT INTO webhooks (id, org, url, headers, secret_enc, created_at, updated_at) SELECT ?2 || '-' || i, ?2, 'https://example.com/' || i, '{}', 'x', 0, 0 FROM n`,
        ).bind(count, org),
        env.DB.prepare(
          `${numbers} INSERT INTO webhook_event_types (webhook_id, org, event_type) SELECT ?2 || '-' || i, ?2, 'invoice.paid' FROM n`,
        ).bind(count, org),
      ]);
      return org;
    };
    const half = Math.ceil(MAX_SUBSCRIBERS / 2) + 1;
    const [first, second, tooMany] = [await withWebhooks(half), await withWebhooks(half), await withWebhooks(MAX_SUBSCRIBERS + 1)];

    const a = await subscribersOf(db, first, ["invoice.paid"]);
    expect(a.byType.get("invoice.paid")).toHaveLength(half);
    expect(await subscribersOf(db, first, ["invoice.paid"])).toBe(a);
    const b = await subscribersOf(db, second, ["invoice.paid"]);
    expect(await subscribersOf(db, second, ["invoice.paid"])).toBe(b);
    expect(await subscribersOf(db, first, ["invoice.paid"])).not.toBe(a); // pushed out by the second

    const big = await subscribersOf(db, tooMany, ["invoice.paid"]);
    expect(big.byType.get("invoice.paid")).toHaveLength(MAX_SUBSCRIBERS + 1);
    expect(await subscribersOf(db, tooMany, ["invoice.paid"])).not.toBe(big);
  });

  it("a stale snapshot's guard fails the whole batch, so nothing of it commits", async () => {
    const org = uniqueOrg();
    const snapshot = await subscribersOf(db, org, ["invoice.paid"], { fresh: true });
    await seedWebhook(org, { types: ["invoice.paid"] });
    const event = { id: "evt_guarded", org, type: "invoice.paid", data: {}, createdAt: new Date() };
    const error = await commit(db, [db.insert(events).values(event), subscriptionGuardStatement(db, snapshot)]).catch((e: unknown) => e);
    expect(isStaleSubscribers(error)).toBe(true);
    expect(await eventsOfOrg(org)).toHaveLength(0);
    // A current snapshot's guard writes nothing and fails nothing.
    const current = await subscribersOf(db, org, ["invoice.paid"], { fresh: true });
    await commit(db, [db.insert(events).values(event), subscriptionGuardStatement(db, current)]);
    expect(await eventsOfOrg(org)).toHaveLength(1);
  });

  it("a write whose subscribers keep going stale is written on the third try, unguarded", async () => {
    const org = uniqueOrg();
    const { id } = await seedWebhook(org, { types: ["invoice.paid"] });
    const seen: (SubscriberSnapshot | undefined)[] = [];
    const written = await withSubscribers(db, org, ["invoice.paid"], async (snapshot) => {
      seen.push(snapshot);
      // A webhook change lands between every read and its write.
      await env.DB.prepare("UPDATE webhooks SET filter = ? WHERE id = ?")
        .bind(JSON.stringify({ type: `t${seen.length}` }), id)
        .run();
      const prepared = await prepareEvent(db, org, { type: "invoice.paid", data: {} }, { snapshot });
      await commit(db, prepared.statements);
      return prepared.event.id;
    });
    expect(seen.map((s) => s?.guarded)).toEqual([true, true, false]);
    expect((await eventsOfOrg(org)).map((e) => e.id)).toEqual([written]);
  });

  it("a write with a snapshot not read for its event type or org fails instead of routing to no one", async () => {
    const org = uniqueOrg();
    const snapshot = await subscribersOf(db, org, ["invoice.created"]);
    await expect(prepareEvent(db, org, { type: "invoice.paid", data: {} }, { snapshot })).rejects.toThrow(/were not read/);
    await expect(prepareEvent(db, uniqueOrg(), { type: "invoice.created", data: {} }, { snapshot })).rejects.toThrow(/were not read/);
  });

  it("an Idempotency-Key publish routed with stale subscribers is routed again, then replayed", async () => {
    const admin = await client(uniqueOrg(), "admin");
    await publish(admin.org);
    const added = (await createWebhook(admin, { events: ["invoice.paid"] })).id;
    const first = await publish(admin.org, "key-1");
    expect(await receivers(first.event.id)).toEqual([added]);
    const again = await publish(admin.org, "key-1");
    expect(again).toMatchObject({ replayed: true, event: { id: first.event.id } });
    expect(await eventsOfOrg(admin.org)).toHaveLength(2);
  });

  it("a webhook created after they were read still gets the next event", async () => {
    const admin = await client(uniqueOrg(), "admin");
    const old = (await seedWebhook(admin.org, { types: ["invoice.paid"] })).id;
    expect(await receivers((await publish(admin.org)).event.id)).toEqual([old]);
    const added = (await createWebhook(admin, { events: ["invoice.*"] })).id;
    expect(await receivers((await publish(admin.org)).event.id)).toEqual([old, added].sort());
  });

  it("a webhook disabled, deleted or filtered out after they were read gets nothing more", async () => {
    const admin = await client(uniqueOrg(), "admin");
    const disabled = (await createWebhook(admin, { events: ["invoice.paid"] })).id;
    const deleted = (await createWebhook(admin, { events: ["*"] })).id;
    const filtered = (await createWebhook(admin, { events: ["invoice.paid"] })).id;
    const kept = (await createWebhook(admin, { events: ["invoice.paid"] })).id;
    expect(await receivers((await publish(admin.org)).event.id)).toEqual([disabled, deleted, filtered, kept].sort());

    await admin.put(`/api/v1/webhooks/${disabled}`, { active: false });
    await admin.delete(`/api/v1/webhooks/${deleted}`);
    await admin.put(`/api/v1/webhooks/${filtered}`, { filter: { "data.invoiceId": "inv_other" } });
    expect(await receivers((await publish(admin.org)).event.id)).toEqual([kept]);
  });

  it("a workflow started after a webhook was created since the last start reaches it", async () => {
    const org = uniqueOrg();
    const staff = await client(org, "staff");
    const admin = await client(org, "admin");
    await startWorkflow(staff);
    const added = (await createWebhook(admin, { events: ["workflow.created"] })).id;
    await startWorkflow(staff);
    const created = (await eventsOfOrg(org, "workflow.created")).map((e) => e.id);
    const delivered = await Promise.all(created.map(receivers));
    expect(delivered.sort((a, b) => a.length - b.length)).toEqual([[], [added]]);
  });

  it("a template instance's events reach a webhook created since the last instance started", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    const staff = await client(org, "staff");
    await saveTemplate(admin, "review", {
      start: "review",
      steps: {
        review: { type: "task", title: "Review", assignee: { role: "staff" }, outcomes: ["seen"], next: { seen: "done" } },
        done: { type: "succeed" },
      },
    });
    const first = await startInstance(staff, "review");
    const added = (await createWebhook(admin, { events: ["workflow.created"] })).id;
    const second = await startInstance(staff, "review");
    const createdOf = async (id: string) => (await eventsOfOrg(org, "workflow.created")).find((e) => e.data.id === id)!.id;
    expect(await receivers(await createdOf(first.id))).toEqual([]);
    expect(await receivers(await createdOf(second.id))).toEqual([added]);
  });

  it("a workflow change in the Durable Object sees a webhook created since its last change", async () => {
    const org = uniqueOrg();
    const staff = await client(org, "staff");
    const admin = await client(org, "admin");
    const wf = await startWorkflow(staff, { steps: ["a", "b", "c"] });
    await staff.post(`/api/v1/workflows/${wf.id}/advance`, {});
    const added = (await createWebhook(admin, { events: ["workflow.advanced"] })).id;
    await staff.post(`/api/v1/workflows/${wf.id}/advance`, {});
    const advanced = (await eventsOfOrg(org, "workflow.advanced")).map((e) => e.id);
    expect(advanced).toHaveLength(2);
    const delivered = await Promise.all(advanced.map(receivers));
    expect(delivered.sort((a, b) => a.length - b.length)).toEqual([[], [added]]);
  });
});
