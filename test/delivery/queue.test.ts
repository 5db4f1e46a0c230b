// The one commit-then-enqueue step: rows first, messages after; a failed commit sends nothing,
// a failed send loses nothing (the rows stay pending for the cron sweep).
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { events } from "../../src/db/schema";
import { commitAndEnqueue, enqueueDeliveries } from "../../src/delivery/queue";
import { db, recordingQueue, uniqueOrg } from "../support";

const eventRow = (org: string, id: string) => ({ id, org, type: "patient.created", data: { patientId: "p1" }, createdAt: new Date() });

describe("enqueueDeliveries", () => {
  it("sends messages in chunks of 100, each {v: 1, deliveryId, org}", async () => {
    const { sendBatch, queue } = recordingQueue();
    const ids = Array.from({ length: 250 }, (_, i) => `msg_${i}`);
    await enqueueDeliveries(queue, "org", ids);
    expect(sendBatch.mock.calls.map((c) => c[0].length)).toEqual([100, 100, 50]);
    expect(sendBatch.mock.calls[0]![0][0]).toEqual({ body: { v: 1, deliveryId: "msg_0", org: "org" } });
  });

  it("logs a failed send instead of throwing: the rows are committed and the sweep retries", async () => {
    const failing = { sendBatch: vi.fn().mockRejectedValue(new Error("queue down")) } as unknown as Queue;
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    await expect(enqueueDeliveries(failing, "org", ["msg_a"])).resolves.toBeUndefined();
    expect(error.mock.calls[0]![0]).toContain("enqueue failed");
    error.mockRestore();
  });

  it("sends nothing for no deliveries", async () => {
    const { sendBatch, queue } = recordingQueue();
    await enqueueDeliveries(queue, "org", []);
    expect(sendBatch).not.toHaveBeenCalled();
  });
});

describe("commitAndEnqueue", () => {
  it("commits the statements, then enqueues, and returns the batch results", async () => {
    const org = uniqueOrg();
    const { sendBatch, queue } = recordingQueue();
    const results = await commitAndEnqueue(
      db,
      queue,
      org,
      [
        db
          .insert(events)
          .values(eventRow(org, `evt_${org}`))
          .returning({ id: events.id }),
      ],
      ["msg_1"],
    );
    expect(results).toEqual([[{ id: `evt_${org}` }]]);
    expect(sendBatch).toHaveBeenCalledWith([{ body: { v: 1, deliveryId: "msg_1", org } }]);
  });

  it("enqueues nothing and commits nothing when one statement fails", async () => {
    const org = uniqueOrg();
    const { sendBatch, queue } = recordingQueue();
    const id = `evt_${org}`;
    const statements = [db.insert(events).values(eventRow(org, id)), db.insert(events).values(eventRow(org, id))];
    await expect(commitAndEnqueue(db, queue, org, statements, ["msg_1"])).rejects.toThrow();
    expect(sendBatch).not.toHaveBeenCalled();
    expect(await db.select().from(events).where(eq(events.org, org))).toEqual([]);
  });

  it("with no statements commits nothing and still enqueues (a reset committed on its own)", async () => {
    const { sendBatch, queue } = recordingQueue();
    expect(await commitAndEnqueue(db, queue, "org", [], ["msg_2"])).toEqual([]);
    expect(sendBatch).toHaveBeenCalledTimes(1);
  });
});
