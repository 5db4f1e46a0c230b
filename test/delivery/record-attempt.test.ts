// The repository guard on its own: the same attempt written twice counts once, even where the
// consumer's earlier checks raced (two copies loaded the row before either wrote).
import { describe, expect, it } from "vitest";
import { type AttemptRecord, recordAttempt, recordAttempts } from "../../src/db/repositories/delivery-attempts";
import { attemptRows, db, deliveryRow, NOW, seedAttempt, seedDelivery, webhookRow } from "../support";

describe("recordAttempt", () => {
  it("a second write of the same attempt changes nothing: no row, no delivery update, no health", async () => {
    const seed = await seedDelivery({ attempts: 4, consecutiveFailures: 5 });
    const record: AttemptRecord = {
      org: seed.org,
      deliveryId: seed.deliveryId,
      webhookId: seed.webhookId,
      priorAttempts: 4,
      statusCode: 500,
      durationMs: 12,
      error: "HTTP 500",
      responseSnippet: null,
      status: "failed",
      nextAttemptAt: null,
      at: NOW,
      webhook: { kind: "failure", disableAfter: 20 },
    };
    expect(await recordAttempt(db, record)).toBe(true);
    expect(await recordAttempt(db, { ...record, statusCode: 502 })).toBe(false);
    expect(await attemptRows(seed.deliveryId)).toMatchObject([{ attempt: 5, statusCode: 500 }]);
    expect(await deliveryRow(seed.deliveryId)).toMatchObject({ attempts: 5, status: "failed", lastStatusCode: 500 });
    expect((await webhookRow(seed.webhookId)).consecutiveFailures).toBe(6);
  });

  it("in one batch of attempts, a duplicate fails nothing: the others are recorded", async () => {
    const [a, dup, b] = await Promise.all([seedDelivery(), seedDelivery({ attempts: 2 }), seedDelivery({ consecutiveFailures: 3 })]);
    const base = { durationMs: 5, error: null, responseSnippet: null, nextAttemptAt: null, at: NOW };
    const recordOf = (seed: typeof a, priorAttempts: number, statusCode: number): AttemptRecord => ({
      ...base,
      org: seed.org,
      deliveryId: seed.deliveryId,
      webhookId: seed.webhookId,
      priorAttempts,
      statusCode,
      status: "succeeded",
      webhook: { kind: "success" },
    });
    // The duplicate's attempt 3 is already logged by an earlier copy.
    expect(await recordAttempt(db, recordOf(dup, 2, 200))).toBe(true);
    const recorded = await recordAttempts(db, [recordOf(a, 0, 201), recordOf(dup, 2, 202), recordOf(b, 0, 203)]);
    expect(recorded).toEqual([true, false, true]);
    expect(await attemptRows(a.deliveryId)).toMatchObject([{ attempt: 1, statusCode: 201 }]);
    expect(await attemptRows(dup.deliveryId)).toMatchObject([{ attempt: 3, statusCode: 200 }]);
    expect(await attemptRows(b.deliveryId)).toMatchObject([{ attempt: 1, statusCode: 203 }]);
    expect(await deliveryRow(a.deliveryId)).toMatchObject({ attempts: 1, status: "succeeded", lastStatusCode: 201 });
    expect(await deliveryRow(dup.deliveryId)).toMatchObject({ attempts: 3, status: "succeeded", lastStatusCode: 200 });
    expect((await webhookRow(b.webhookId)).consecutiveFailures).toBe(0);
  });

  it("an attempt number already logged by another copy leaves the delivery alone, even while its count lags", async () => {
    // The other copy's row is logged, its delivery update was refused (the delivery had ended
    // meanwhile) and the delivery is pending again with the old count.
    const seed = await seedDelivery();
    await seedAttempt(seed.org, seed.deliveryId, 1, { statusCode: 500, at: new Date(NOW.getTime() - 1000) });
    const record: AttemptRecord = {
      org: seed.org,
      deliveryId: seed.deliveryId,
      webhookId: seed.webhookId,
      priorAttempts: 0,
      statusCode: 200,
      durationMs: 5,
      error: null,
      responseSnippet: null,
      status: "succeeded",
      nextAttemptAt: null,
      at: NOW,
      webhook: { kind: "success" },
    };
    expect(await recordAttempts(db, [record])).toEqual([false]);
    expect(await deliveryRow(seed.deliveryId)).toMatchObject({ attempts: 0, status: "pending" });
    expect(await attemptRows(seed.deliveryId)).toMatchObject([{ attempt: 1, statusCode: 500 }]);
  });
});
