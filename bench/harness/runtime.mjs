// The local runtime's own prices, measured on the floor (a bare Worker, none of our code), so
// the cost model in docs/PERFORMANCE.md can be checked on any machine: the CPU of the floor's
// whole `wrangler dev` process group per request answered from memory, per D1 round trip of one
// statement, per nine statements more in the same round trip, per call of the rate-limit
// binding and per call of a Durable Object. From them, what each A/B figure could reach if our
// own code cost nothing (platformCeilings).
import { load, median, round2 } from "./measure.mjs";
import { withCpu } from "./cpu.mjs";

const REQUESTS = 2000;

// load() refuses any error answer: a price of one (a missing binding) would be a wrong price.
async function cpuMsPerRequest(base, path, body) {
  const { cpuMs } = await withCpu(base, () => load(base, { targets: [{ path, body }], method: "POST", connections: 10, amount: REQUESTS }));
  return cpuMs / REQUESTS;
}

const statements = (n) => JSON.stringify({ statements: Array.from({ length: n }, () => "SELECT 1") });

/** `{ note, prices }`; prices (ms of CPU) undefined where /proc is not there. */
export async function runtimePrices(ctx) {
  const paths = [
    ["/api/floor/noop", "{}"],
    ["/api/__bench/sql", statements(1)],
    ["/api/__bench/sql", statements(10)],
    // One key and one object: the price of a call, whatever the limiter's verdict.
    ["/api/floor/limit/runtime-price", "{}"],
    ["/api/floor/object/runtime-price", "{}"],
  ];
  const measure = async () => {
    const perPath = [];
    for (const [path, body] of paths) perPath.push(await cpuMsPerRequest(ctx.floor, path, body));
    return perPath;
  };
  await measure(); // warm-up: the first pass pays for compiling every path
  const rounds = [await measure(), await measure(), await measure()];
  const [memory, one, ten, limited, object] = paths.map((_, i) => median(rounds.map((r) => r[i])));
  if (!Number.isFinite(memory)) return { note: "Local runtime prices: not measured (no /proc)." };
  const prices = { request: memory, roundTrip: one - memory, nineStatements: ten - one, limit: limited - memory, object: object - memory };
  return {
    prices,
    note:
      `Local runtime prices (the floor Worker; CPU of its whole wrangler dev process group): an HTTP request answered from memory ` +
      `${round2(prices.request)} ms; one D1 round trip adds ${round2(prices.roundTrip)} ms; nine more statements in that round trip ` +
      `${round2(prices.nineStatements)} ms; a rate-limit call ${round2(prices.limit)} ms; a Durable Object call ${round2(prices.object)} ms.`,
  };
}

/**
 * Per A/B figure, the ratio of CPU per unit the product could reach if everything of ours cost
 * nothing: the floor's measured CPU per unit ÷ (that + the platform calls the product must make
 * and the floor does not). P1 and P6 are CPU-bound here (their throughput ratio follows their
 * CPU ratio), so a ceiling under their target says it cannot be met on this runtime. P4's
 * throughput is not CPU-bound in the same way (the floor waits on the broker), so its line is
 * a CPU ratio only.
 *   P1: one rate-limit call per request (600 per org per 60 s, the contract's 429).
 *   P6: a rate-limit call and the call into the workflow's Durable Object, which serialises
 *       the advance (its one D1 round trip is the floor's UPDATE).
 *   P4: per delivery, a 1/webhooks share of the publish's rate-limit call and D1 write (the
 *       floor's publish only enqueues), and the consumer's two D1 round trips per batch
 *       (claim and load, then record; the floor's consumer only fetches).
 */
export function platformCeilings(results, prices, { webhooks, batchSize }) {
  if (!prices) return undefined;
  const extra = {
    P1: { ms: prices.limit, bounds: "throughput" },
    P6: { ms: prices.limit + prices.object, bounds: "throughput" },
    P4: { ms: (prices.limit + prices.roundTrip) / webhooks + (2 * prices.roundTrip) / batchSize, bounds: "CPU ratio only" },
  };
  const parts = [];
  for (const r of results) {
    const calls = extra[r.id];
    if (!calls || !r.cpu) continue;
    const ceiling = r.cpu.floor / (r.cpu.floor + calls.ms);
    parts.push(
      `${r.id} ≤ ${round2(ceiling)} (${calls.bounds}; floor ${round2(r.cpu.floor)} ms + ${round2(calls.ms)} ms of required platform calls; the product measured ${round2(r.cpu.product)} ms; target ${r.target})`,
    );
  }
  if (parts.length === 0) return undefined;
  return `What the platform alone allows (CPU ratio if our own code cost nothing): ${parts.join("; ")}.`;
}
