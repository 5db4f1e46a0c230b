// The repository guard on its own: the same attempt written twice counts once, even where the
// consumer's earlier checks raced (two copies loaded the row before either wrote).
import { describe, expect, it } from "vitest";
import { recordAttempt, type AttemptRecord } from "../../src/db/repositories/delivery-attempts";
import { attemptRows, db, deliveryRow, NOW, seedDelivery, webhookRow } from "./fixtures";

describe("recordAttempt", () => {
  it("rejects a second write of the same attempt and rolls back its whole batch", async () => {
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
});
