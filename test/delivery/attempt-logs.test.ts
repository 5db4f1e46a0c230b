// What the consumer writes to the Worker's log per batch: each failed attempt on its own line
// (warn when it is final), nothing for a success. A line per batch naming its successes cost
// about a fifth of the CPU per delivery under wrangler dev (npm run bench, P4) and is a billed
// Workers Logs event; D1's attempt log and the Analytics Engine point have every attempt.
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
  it("a batch's successes write no line; a failure has its own", async () => {
    const ok = [await seedDelivery(), await seedDelivery()];
    const failing = await seedDelivery({ url: "https://down.example/hook" });
    const { fetch } = stubFetch((call) => new Response(null, { status: call.url.includes("down.example") ? 500 : 204 }));
    const lines = capturedLines();
    await runBatch([ok[0]!.message, failing.message, ok[1]!.message], fetch);

    // The failure's line is the batch's only line.
    expect(lines).toEqual([
      expect.objectContaining({
        level: "info",
        msg: "delivery attempt",
        deliveryId: failing.deliveryId,
        attempt: 1,
        statusCode: 500,
        error: "HTTP 500",
        next: { kind: "retry", delaySeconds: 5 },
      }),
    ]);
  });
});
