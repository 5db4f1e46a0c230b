// CPU time used by a server's whole process group (wrangler's proxy, workerd, the local
// D1/queue/rate-limit services), read from /proc. Per request it is much steadier than
// throughput on a shared machine, and it splits a gap into "more work" vs "more waiting".
// Linux only; elsewhere the figures are NaN and only the throughput ratios are reported.
import { readdirSync, readFileSync } from "node:fs";
import { median } from "./measure.mjs";

const TICK_MS = 10; // /proc/<pid>/stat counts in USER_HZ ticks, 100 per second on Linux

export function groupCpuMs(pgid) {
  let pids;
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return Number.NaN;
  }
  let ticks = 0;
  for (const pid of pids) {
    try {
      // Fields after "pid (comm) ": state ppid pgrp … utime (12th) stime (13th).
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {}
  }
  return ticks * TICK_MS;
}

/** `run()`'s result with `cpuMs`: what the process group used while it ran. */
export async function withCpu(pgid, run) {
  const before = groupCpuMs(pgid);
  const result = await run();
  return { ...result, cpuMs: groupCpuMs(pgid) - before };
}

/**
 * "CPU per request: 3.9 ms vs floor 2.2 ms (ratio 0.56)": the median over an interleaved run's
 * rounds of each side's CPU ÷ its count (`total` requests, or `count`).
 */
export function cpuDetail(run, unit) {
  const perUnit = (r) => r.cpuMs / (r.total ?? r.count);
  const a = median(run.a.map(perUnit));
  const b = median(run.b.map(perUnit));
  if (!Number.isFinite(a) || !Number.isFinite(b)) return "CPU not measured (no /proc)";
  return `CPU per ${unit} (whole process group): ${a.toFixed(2)} ms vs floor ${b.toFixed(2)} ms (ratio ${(b / a).toFixed(2)})`;
}
