// What the consumer writes to the Worker's log per batch: each failed attempt on its own line
// (warn when it is final), the batch's successes together on one line that names every
// delivery. One console call per success cost the consumer a tenth of its CPU (npm run bench,
// P4) and is one billed Workers Logs event each; D1's attempt log has every attempt anyway.
import { afterEach, describe, expect, it, vi } from "vitest";
import { runBatch, seedDelivery, stubFetch } from "../support";

function capturedLines() {
  const lines: Record<string, unknown>[] = [];
  for (const method of ["log", "warn", "error"] as const) {
    vi.spyOn(console, method).mockImplementation((line: string) => {
      lines.push(JSON.parse(line));
    });
  }
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe("delivery attempt log lines", () => {
  it("a batch's successes share one line naming each delivery; a failure has its own", async () => {
    const ok = [await seedDelivery(), await seedDelivery()];
    const failing = await seedDelivery({ url: "https://down.example/hook" });
    const { fetch } = stubFetch((call) => new Response(null, { status: call.url.includes("down.example") ? 500 : 204 }));
    const lines = capturedLines();
    await runBatch([ok[0]!.message, failing.message, ok[1]!.message], fetch);

    const successes = lines.filter((l) => l.msg === "delivery attempts succeeded");
    expect(successes).toEqual([
      {
        level: "info",
        msg: "delivery attempts succeeded",
        count: 2,
        attempts: ok.map((s) => ({ v: 1, org: s.org, deliveryId: s.deliveryId, webhookId: s.webhookId, attempt: 1, statusCode: 204 })),
      },
    ]);
    const failures = lines.filter((l) => l.msg === "delivery attempt");
    expect(failures).toEqual([
      expect.objectContaining({
        level: "info",
        deliveryId: failing.deliveryId,
        attempt: 1,
        statusCode: 500,
        error: "HTTP 500",
        next: { kind: "retry", delaySeconds: 5 },
      }),
    ]);
  });
});
