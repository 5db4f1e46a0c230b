// Compiled statements (src/db/compiled.ts) are built by drizzle on their first use and only
// bound after that. What must hold: each use runs with its own values, never the first use's;
// a per-count shape is built per count; rows read through one are drizzle's rows.
import { inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { commitCompiled, compiledPerCount, placeholderList, rowOf, valuesOf } from "../../src/db/compiled";
import { applyWebhookHealth } from "../../src/db/repositories/webhooks";
import { webhooks } from "../../src/db/schema";
import { db, NOW, seedWebhook, webhookRow } from "../support";

const org = () => `cmp-${crypto.randomUUID().slice(0, 8)}`;

describe("compiled statements", () => {
  it("bind each use's values: two webhooks' failures with different thresholds", async () => {
    const aOrg = org();
    const bOrg = org();
    const a = await seedWebhook(aOrg);
    const b = await seedWebhook(bOrg);
    await applyWebhookHealth(db, aOrg, a.id, { kind: "failure", disableAfter: 1 }, NOW);
    const later = new Date(NOW.getTime() + 1000);
    await applyWebhookHealth(db, bOrg, b.id, { kind: "failure", disableAfter: 3 }, later);

    expect(await webhookRow(a.id)).toMatchObject({
      active: false,
      consecutiveFailures: 1,
      disabledReason: "disabled after 1 consecutive failed deliveries",
      updatedAt: NOW,
    });
    // Built with a's values it would have disabled b too (1 >= 1) and stamped a's time.
    expect(await webhookRow(b.id)).toMatchObject({ active: true, consecutiveFailures: 1, disabledReason: null });
    await applyWebhookHealth(db, bOrg, b.id, { kind: "gone", reason: "endpoint answered 410 Gone" }, later);
    expect(await webhookRow(b.id)).toMatchObject({
      active: false,
      consecutiveFailures: 2,
      disabledReason: "endpoint answered 410 Gone",
      updatedAt: later,
    });
  });

  it("build a per-count shape for each count, and map its rows as drizzle's select does", async () => {
    const owner = org();
    const ids = (await Promise.all([1, 2, 3].map(() => seedWebhook(owner, { headers: { "x-clinic": "north" } })))).map((s) => s.id);
    const byIds = compiledPerCount((first, p, n) =>
      first
        .select()
        .from(webhooks)
        .where(inArray(webhooks.id, placeholderList(p, "id", n))),
    );
    for (const asked of [ids.slice(0, 2), ids.slice(2), ids, ids.slice(1)]) {
      const [result] = await commitCompiled(db, [byIds(db, asked.length, valuesOf(asked.map((id) => ({ id }))))]);
      const rows = (result!.results as Record<string, unknown>[]).map((raw) => rowOf(webhooks, raw));
      expect(rows.map((r) => r.id).sort()).toEqual([...asked].sort());
      for (const row of rows) expect(row).toEqual(await webhookRow(row.id));
    }
  });

  it("valuesOf names item i's fields <name><i>", () => {
    expect(
      valuesOf([
        { d: "x", o: "a" },
        { d: "y", o: "b" },
      ]),
    ).toEqual({ d0: "x", o0: "a", d1: "y", o1: "b" });
  });
});
