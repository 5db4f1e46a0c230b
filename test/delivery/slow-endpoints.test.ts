// Item 2 of issue 8: a healthy endpoint's delivery must not wait behind receivers that never
// answer. An invocation has 6 outgoing connections; the consumer runs that many messages at once
// and the queue hands it batches of at most that many, so every message of a batch is sent at
// once, whatever the others do. (The figure, before and after, is in the closing note of issue 8:
// `node scripts/measure-resilience.mjs slow`.)
import { describe, expect, it } from "vitest";
import wranglerToml from "../../wrangler.toml?raw";
import { OUTBOUND_CONNECTIONS } from "../../src/delivery/delivery-batch";
import { deliveryRow, runBatch, seedDelivery, stubFetch } from "../support";

/** max_batch_size of the pca-deliveries consumer in wrangler.toml. */
function deliveryBatchSize(): number {
  const block = wranglerToml
    .split("[[queues.consumers]]")
    .slice(1)
    .find((b) => /queue\s*=\s*"pca-deliveries"\s*$/m.test(b));
  return Number(/max_batch_size\s*=\s*(\d+)/.exec(block ?? "")?.[1]);
}

describe("slow endpoints do not delay healthy ones", () => {
  it("the queue's batch is no larger than the connections one invocation may hold (6)", () => {
    expect(OUTBOUND_CONNECTIONS).toBe(6);
    expect(deliveryBatchSize()).toBe(OUTBOUND_CONNECTIONS);
  });

  it("in a full batch whose other receivers never answer, the healthy delivery is sent at once", async () => {
    const size = deliveryBatchSize();
    const dead = await Promise.all(Array.from({ length: size - 1 }, (_, i) => seedDelivery({ url: `https://dead-${i}.receiver.example.com/hook` })));
    const healthy = await seedDelivery({ url: "https://healthy.receiver.example.com/hook" });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const { fetch, calls } = stubFetch(async (call) => {
      if (call.url.startsWith("https://healthy.")) return new Response("ok");
      await released; // a receiver that does not answer until the test lets it
      return new Response("late");
    });
    // The healthy message comes last, behind every dead one. Its request goes out while every
    // dead receiver still holds its own: it waited for none of them.
    const batch = runBatch([...dead.map((d) => d.message), healthy.message], fetch);
    while (!calls.some((c) => c.url.startsWith("https://healthy."))) await new Promise((r) => setTimeout(r, 5));
    expect(calls).toHaveLength(size);
    release();
    await batch;
    expect((await deliveryRow(healthy.deliveryId)).status).toBe("succeeded");
  });
});
