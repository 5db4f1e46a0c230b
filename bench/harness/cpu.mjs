// CPU per request for the A/B figures (P1, P6), from servers.mjs's cpuSeconds: on this shared
// machine it is much steadier than throughput, and it tells "more work" from "more waiting".
import { median } from "./measure.mjs";
import { cpuSeconds } from "./servers.mjs";

/** `run()`'s result with `cpuMs`: what everything serving `base` used while it ran. */
export async function withCpu(base, run) {
  const before = cpuSeconds(base);
  const result = await run();
  return { ...result, cpuMs: (cpuSeconds(base) - before) * 1000 };
}

/**
 * "CPU per request …: 3.9 ms vs floor 2.2 ms (ratio 0.56)": the median over an interleaved
 * run's rounds of each side's CPU ÷ its count (`total` requests, or `count`).
 */
export function cpuDetail(run, unit) {
  const perUnit = (r) => r.cpuMs / (r.total ?? r.count);
  const a = median(run.a.map(perUnit));
  const b = median(run.b.map(perUnit));
  if (!Number.isFinite(a) || !Number.isFinite(b)) return "CPU not measured (no /proc)";
  return `CPU per ${unit} (whole wrangler dev process group): ${a.toFixed(2)} ms vs floor ${b.toFixed(2)} ms (ratio ${(b / a).toFixed(2)})`;
}
