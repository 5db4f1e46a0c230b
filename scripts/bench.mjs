// `npm run bench` (`-- --quick`: fewer, shorter rounds, under 4 minutes): the product against
// the runtime's own floor. Starts the bench build of the Worker (bench/worker.ts: the real
// Worker with D1 round trips counted) and the floor (bench/floor.ts) with `wrangler dev`, each
// on its own port and state folder, seeds both, then measures P1–P7 in interleaved A/B rounds
// and writes bench/results.json and bench/results.md. Numbers only; no test asserts a time.
// Ports: BENCH_PORT (Worker; the floor is +1), BENCH_INSPECTOR_PORT (+1), BENCH_RECEIVER_PORT.
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { p5Advance, p6 } from "../bench/harness/advance.mjs";
import { p7 } from "../bench/harness/bundle.mjs";
import { WEBHOOKS, p4, p5Publish } from "../bench/harness/delivery.mjs";
import { startProfile } from "../bench/harness/profile.mjs";
import { p1, p2, p3 } from "../bench/harness/reads.mjs";
import { startReceiver } from "../bench/harness/receiver.mjs";
import { platformCeilings, runtimePrices } from "../bench/harness/runtime.mjs";
import { table, writeReport } from "../bench/harness/report.mjs";
import { sharedSeed, workerSeed } from "../bench/harness/seeds.mjs";
import { productConfig, seed, startDev, stopAll, wrangler, writeFloorConfig } from "../bench/harness/servers.mjs";
import { readDevVars } from "./dev-vars.mjs";
import { signedToken } from "./token-claims.mjs";

const quick = process.argv.includes("--quick");
const profiling = process.argv.includes("--profile");
// --only=P1,P4: just those figures (for working on one gap; results files are not written);
// R is the local runtime's prices (bench/harness/runtime.mjs).
// --profile: also a CPU profile of the Worker while they run (bench/harness/profile.mjs).
// --keep: leave the state folder (with worker.log and floor.log, the Workers' own output) behind.
const keep = process.argv.includes("--keep");
const only = process.argv
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .split(",");
const port = Number(process.env.BENCH_PORT || 8851);
const inspectorPort = Number(process.env.BENCH_INSPECTOR_PORT || 9351);
const receiverPort = Number(process.env.BENCH_RECEIVER_PORT || 9451);

async function main() {
  const startedAt = new Date();
  const loadAtStart = loadavg();
  const dir = mkdtempSync(join(tmpdir(), "pca-bench-"));
  const log = (message) => console.log(`[${((Date.now() - startedAt.getTime()) / 1000).toFixed(0).padStart(3)} s] ${message}`);
  const vars = readDevVars();
  const tokens = new Map();
  const notes = [];
  const p6Rounds = quick ? 2 : 3;
  const now = Date.now();
  const ctx = {
    quick,
    now,
    p6Rounds,
    note: (n) => {
      notes.push(n);
      log(n);
    },
    token: async (org, role) => {
      const key = `${org} ${role}`;
      if (!tokens.has(key)) {
        tokens.set(key, await signedToken({ org, role, sub: "bench" }, vars));
      }
      return tokens.get(key);
    },
  };

  log(`state in ${dir}; building the bundle and migrating both databases`);
  const product = productConfig();
  const floorConfig = writeFloorConfig(dir, product);
  const workerState = join(dir, "worker");
  const floorState = join(dir, "floor");
  const [bundle] = await Promise.all([
    p7(dir),
    wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", workerState], join(dir, "migrate-worker.log")),
    wrangler(
      ["d1", "migrations", "apply", "DB", "--local", "--persist-to", floorState, "--config", floorConfig.file],
      join(dir, "migrate-floor.log"),
    ),
  ]);
  log("starting the Worker (bench build) and the floor");
  [ctx.worker, ctx.floor] = await Promise.all([
    // A profile names functions only in an unminified build; figures are measured as deployed.
    startDev({
      name: "Worker",
      args: ["bench/worker.ts", ...(profiling ? ["--no-minify"] : [])],
      port,
      inspectorPort,
      persistTo: workerState,
      logFile: join(dir, "worker.log"),
    }),
    startDev({
      name: "floor",
      args: ["--config", floorConfig.file],
      port: port + 1,
      inspectorPort: inspectorPort + 1,
      persistTo: floorState,
      logFile: join(dir, "floor.log"),
    }),
  ]);
  ctx.receiver = await startReceiver(receiverPort);
  await Promise.all([seed(ctx.worker, [...sharedSeed(now, p6Rounds), ...workerSeed(now)]), seed(ctx.floor, sharedSeed(now, p6Rounds))]);
  log(`seeded; measuring (${quick ? "quick" : "full"} run)`);

  const results = [];
  const stopProfile = profiling ? await startProfile(inspectorPort) : undefined;
  const figures = { P1: p1, P2: p2, P3: p3, P4: p4, P5b: p5Publish, P5c: p5Advance, P6: p6 };
  for (const [id, figure] of Object.entries(figures)) {
    if (only && !only.includes(id)) continue;
    const made = await figure(ctx);
    for (const r of [made].flat()) {
      results.push(r);
      log(
        `${r.id} ${r.label}: ${r.value} ${r.unit}${r.floor !== null ? ` (floor ${r.floor}, ratio ${r.ratio})` : ""} target ${r.target} → ${r.pass ? "pass" : "FAIL"}`,
      );
      if (r.detail) log(`  ${r.detail}`);
    }
  }
  // Not a figure: what the local runtime itself charges, for reading the ratios (--only=R).
  if (!only || only.includes("R")) {
    const { note, prices } = await runtimePrices(ctx);
    ctx.note(note);
    const ceilings = platformCeilings(results, prices, { webhooks: WEBHOOKS, batchSize: floorConfig.settings.consumer.max_batch_size });
    if (ceilings) ctx.note(ceilings);
  }
  results.push(bundle);
  if (stopProfile) console.log(`\n${await stopProfile("bench/worker.cpuprofile")}\n(saved bench/worker.cpuprofile)`);

  if (!only) writeReport(results, { mode: quick ? "--quick" : "full", startedAt, loadAtStart, notes, settings: floorConfig.settings });
  console.log(`\n${table(results)}\n${only ? "" : "\nWrote bench/results.json and bench/results.md."}`);
  await ctx.receiver.close();
  stopAll();
  if (keep) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    stopAll();
    process.exit(1);
  },
);
