// CPU per unit of work for the A/B figures (P1, P4, P6), from servers.mjs's cpuSeconds: on this shared
// machine it is much steadier than throughput, and it tells "more work" from "more waiting".
import { median } from "./measure.mjs";
import { cpuSeconds } from "./servers.mjs";

/** `run()`'s result with `cpuMs`: what everything serving `base` used while it ran. */
export async function withCpu(base, run) {
  const before = cpuSeconds(base);
  const result = await run();
  return { ...result, cpuMs: (cpuSeconds(base) - before) * 1000 };
}

/** "CPU per request …: 3.9 ms vs floor 2.2 ms (ratio 0.56)", from cpuPerUnit's result. */
export function cpuDetail(cpu, unit) {
  if (!cpu) return "CPU not measured (no /proc)";
  return `CPU per ${unit} (whole wrangler dev process group): ${cpu.product.toFixed(2)} ms vs floor ${cpu.floor.toFixed(2)} ms (ratio ${(cpu.floor / cpu.product).toFixed(2)})`;
}

/** `{ product, floor }`: each side's median CPU ms per unit (`cpuMs` ÷ `total` or `count`), or undefined without /proc. */
export function cpuPerUnit(run) {
  const perUnit = (r) => r.cpuMs / (r.total ?? r.count);
  const product = median(run.a.map(perUnit));
  const floor = median(run.b.map(perUnit));
  return Number.isFinite(product) && Number.isFinite(floor) ? { product, floor } : undefined;
}
