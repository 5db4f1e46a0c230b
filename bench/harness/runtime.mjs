// The local runtime's own prices, measured on the floor (a bare Worker, none of our code), so
// the cost model in docs/PERFORMANCE.md can be checked on any machine: the CPU of the floor's
// whole `wrangler dev` process group per request answered from memory, per D1 round trip of one
// statement, and per nine statements more in the same round trip.
import autocannon from "autocannon";
import { median, round2 } from "./measure.mjs";
import { withCpu } from "./cpu.mjs";

const REQUESTS = 2000;

async function cpuMsPerRequest(base, path, body) {
  const { cpuMs } = await withCpu(base, () => autocannon({ url: base + path, method: "POST", body, connections: 10, amount: REQUESTS }));
  return cpuMs / REQUESTS;
}

const statements = (n) => JSON.stringify({ statements: Array.from({ length: n }, () => "SELECT 1") });

export async function runtimePrices(ctx) {
  const measure = async () => [
    await cpuMsPerRequest(ctx.floor, "/noop", "{}"),
    await cpuMsPerRequest(ctx.floor, "/api/__bench/sql", statements(1)),
    await cpuMsPerRequest(ctx.floor, "/api/__bench/sql", statements(10)),
  ];
  await measure(); // warm-up: the first pass pays for compiling every path
  const rounds = [await measure(), await measure(), await measure()];
  const [memory, one, ten] = [0, 1, 2].map((i) => median(rounds.map((r) => r[i])));
  if (!Number.isFinite(memory)) return "Local runtime prices: not measured (no /proc).";
  return (
    `Local runtime prices (the floor Worker; CPU of its whole wrangler dev process group): an HTTP request answered from memory ` +
    `${round2(memory)} ms; one D1 round trip adds ${round2(one - memory)} ms; nine more statements in that round trip ${round2(ten - one)} ms.`
  );
}
