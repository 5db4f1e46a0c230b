// Starting what the bench measures: the bench build of the Worker (bench/worker.ts, the real
// app with D1 round trips counted) and the floor Worker (bench/floor.ts), each `wrangler dev`
// on its own port and state folder, the floor under the product's wrangler settings as read
// from wrangler.toml (writeFloorConfig).
import { spawn } from "node:child_process";
import { openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { experimental_readRawConfig } from "wrangler";

export const DELIVERY_QUEUE = "pca-deliveries";

export function productConfig() {
  return experimental_readRawConfig({ config: "wrangler.toml" }).rawConfig;
}

/**
 * The floor's config: the product's runtime settings, its own bindings. The settings are every
 * one that changes what the runtime does per request or message: compatibility date and flags,
 * the queue consumer, observability (its tracing costs about 0.4 ms of CPU per request under
 * wrangler dev) and static assets (the assets router in front of the Worker, about 0.3 ms).
 * The floor's routes sit under /api/ so the product's run_worker_first applies to them as it is.
 */
export function writeFloorConfig(dir, product) {
  const { dead_letter_queue: _ignored, ...consumer } = product.queues.consumers.find((c) => c.queue === DELIVERY_QUEUE);
  const config = {
    name: "pca-bench-floor",
    main: resolve("bench/floor.ts"),
    compatibility_date: product.compatibility_date,
    compatibility_flags: product.compatibility_flags,
    observability: product.observability,
    assets: product.assets && { ...product.assets, directory: resolve(product.assets.directory) },
    d1_databases: [
      { binding: "DB", database_name: "pca-bench-floor", database_id: "00000000-0000-0000-0000-00000000f100", migrations_dir: resolve("migrations") },
    ],
    queues: {
      producers: [{ binding: "FLOOR_QUEUE", queue: "pca-bench-floor" }],
      consumers: [{ ...consumer, queue: "pca-bench-floor" }],
    },
    // Only for the runtime's prices (runtime.mjs): the product's own rate limit, and an object
    // that answers at once.
    ratelimits: product.ratelimits,
    durable_objects: { bindings: [{ name: "FLOOR_OBJECT", class_name: "FloorObject" }] },
    migrations: [{ tag: "v1", new_sqlite_classes: ["FloorObject"] }],
  };
  const file = join(dir, "wrangler.floor.json");
  writeFileSync(file, JSON.stringify(config, null, 2));
  const { compatibility_date, compatibility_flags, observability } = config;
  return { file, settings: { compatibility_date, compatibility_flags, consumer, observability, assets: product.assets } };
}

/** Runs a wrangler command to completion; rejects with its output on failure. */
export function wrangler(args, logFile) {
  return new Promise((done, fail) => {
    const log = openSync(logFile, "a");
    const child = spawn("npx", ["wrangler", ...args], { env: { ...process.env, CI: "true" }, stdio: ["ignore", log, log] });
    child.on("exit", (code) => (code === 0 ? done() : fail(new Error(`wrangler ${args.join(" ")} failed; see ${logFile}`))));
  });
}

const running = [];
process.on("exit", stopAll);

export function stopAll() {
  for (const child of running.splice(0)) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
  }
}

/** Base URL → the process group of its `wrangler dev` (wrangler, workerd and their helpers). */
const groups = new Map();
const TICKS_PER_SECOND = 100; // USER_HZ, 100 on Linux

/**
 * CPU seconds used so far by everything serving `base` (the process group's user + system
 * time, from /proc), or NaN where /proc is not there. Throughput depends on what else the
 * machine is doing; CPU per unit of work much less so.
 */
export function cpuSeconds(base) {
  const group = groups.get(base);
  let ticks = 0;
  try {
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        // Fields after the ")" closing the command name: state ppid pgrp … utime(12) stime(13).
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
        if (Number(fields[2]) === group) ticks += Number(fields[11]) + Number(fields[12]);
      } catch {}
    }
  } catch {
    return Number.NaN;
  }
  return ticks / TICKS_PER_SECOND;
}

/** `wrangler dev` in its own process group (so stopping it stops workerd too); resolves when it answers. */
export async function startDev({ name, args, port, inspectorPort, persistTo, logFile }) {
  const log = openSync(logFile, "a");
  const child = spawn(
    "npx",
    ["wrangler", "dev", ...args, "--port", String(port), "--ip", "127.0.0.1", "--inspector-port", String(inspectorPort), "--persist-to", persistTo],
    { env: { ...process.env, CI: "true" }, stdio: ["ignore", log, log], detached: true },
  );
  running.push(child);
  const base = `http://127.0.0.1:${port}`;
  groups.set(base, child.pid);
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited early; see ${logFile}`);
    if (readFileSync(logFile, "utf8").includes("[ERROR]")) throw new Error(`${name} failed to start; see ${logFile}`);
    try {
      await fetch(`${base}/api/__bench/d1`);
      return base;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${name} did not start within 2 minutes; see ${logFile}`);
}

/** Seeds through the server's own /api/__bench/sql (one D1 batch), faster than `wrangler d1 execute`. */
export async function seed(base, statements) {
  const res = await fetch(`${base}/api/__bench/sql`, { method: "POST", body: JSON.stringify({ statements }) });
  if (!res.ok) throw new Error(`seeding ${base} failed: ${res.status} ${await res.text()}`);
}
