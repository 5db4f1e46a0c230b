// A queue batch claims its deliveries and loads their contexts (delivery, webhook, event) in one
// D1 batch. D1 returns a batch's rows keyed by column name, so a join of the three tables would
// let their `id`, `org` and `created_at` overwrite each other: each context must be the rows it
// names, whole, and only within the org its message named.
import { describe, expect, it } from "vitest";
import { claimAndLoadDeliveries, loadDeliveryContexts } from "../../src/db/repositories/deliveries";
import { db, deliveryRow, eventRow, NOW, seedDelivery, webhookRow } from "../support";

const LEASE = new Date(NOW.getTime() + 60_000);
const claimOf = (s: { org: string; deliveryId: string }, messageId: string) => ({ org: s.org, deliveryId: s.deliveryId, messageId });

describe("claimAndLoadDeliveries", () => {
  it("returns each delivery with its own webhook and event rows, whole", async () => {
    const a = await seedDelivery({ url: "https://a.example/hook" });
    const b = await seedDelivery({ url: "https://b.example/hook" });
    const { claimed, contexts } = await claimAndLoadDeliveries(db, [claimOf(a, "m1"), claimOf(b, "m2")], NOW, LEASE);

    expect(claimed).toEqual([true, true]);
    for (const seed of [a, b]) {
      const ctx = contexts.get(seed.deliveryId);
      // Read after the claim, in the same transaction: the lease and the owner are on the row.
      expect(ctx?.delivery).toEqual(await deliveryRow(seed.deliveryId));
      expect(ctx?.delivery).toMatchObject({ claimedBy: seed === a ? "m1" : "m2", nextAttemptAt: LEASE });
      expect(ctx?.webhook).toEqual(await webhookRow(seed.webhookId));
      expect(ctx?.event).toEqual(await eventRow(seed.eventId));
    }
    expect(contexts.get(a.deliveryId)?.webhook?.url).toBe("https://a.example/hook");
  });

  it("a second claim of the same delivery fails; both messages still see its context", async () => {
    const a = await seedDelivery();
    const { claimed, contexts } = await claimAndLoadDeliveries(db, [claimOf(a, "m1"), claimOf(a, "m2")], NOW, LEASE);
    expect(claimed).toEqual([true, false]);
    expect(contexts.get(a.deliveryId)?.delivery.claimedBy).toBe("m1");
  });

  it("of two messages of one delivery, the one that already owns it keeps it, whatever their order", async () => {
    const a = await seedDelivery({ claimedBy: "m2" });
    const { claimed } = await claimAndLoadDeliveries(db, [claimOf(a, "m1"), claimOf(a, "m2")], NOW, LEASE);
    expect(claimed).toEqual([false, true]);
    expect((await deliveryRow(a.deliveryId)).claimedBy).toBe("m2");
  });

  it("a delivery owned by a message outside the batch is refused to every message in it", async () => {
    const a = await seedDelivery({ claimedBy: "elsewhere" });
    const { claimed } = await claimAndLoadDeliveries(db, [claimOf(a, "m1"), claimOf(a, "m2")], NOW, LEASE);
    expect(claimed).toEqual([false, false]);
    expect((await deliveryRow(a.deliveryId)).claimedBy).toBe("elsewhere");
  });

  it("claims more messages than one statement holds", async () => {
    const seeds = await Promise.all(Array.from({ length: 16 }, () => seedDelivery()));
    const { claimed, contexts } = await claimAndLoadDeliveries(
      db,
      seeds.map((s, i) => claimOf(s, `m${i}`)),
      NOW,
      LEASE,
    );
    expect(claimed).toEqual(seeds.map(() => true));
    expect(seeds.map((s, i) => contexts.get(s.deliveryId)?.delivery.claimedBy === `m${i}`)).toEqual(seeds.map(() => true));
  });

  it("a delivery not due yet is not claimed", async () => {
    const a = await seedDelivery({ nextAttemptAt: new Date(NOW.getTime() + 10_000) });
    const { claimed } = await claimAndLoadDeliveries(db, [claimOf(a, "m1")], NOW, LEASE);
    expect(claimed).toEqual([false]);
  });

  it("a message naming another org gets no claim and no context", async () => {
    const a = await seedDelivery();
    const { claimed, contexts } = await claimAndLoadDeliveries(db, [{ ...claimOf(a, "m1"), org: "someone-else" }], NOW, LEASE);
    expect(claimed).toEqual([false]);
    expect(contexts.size).toBe(0);
    expect((await deliveryRow(a.deliveryId)).claimedBy).toBeNull();
  });

  it("a deleted webhook or purged event is null, the delivery still loads", async () => {
    const gone = await seedDelivery({ withoutWebhook: true });
    const contexts = await loadDeliveryContexts(db, [gone]);
    expect(contexts.get(gone.deliveryId)).toMatchObject({ delivery: { id: gone.deliveryId }, webhook: null });
  });
});
