// `npm run dev`: .dev.vars from the example if missing, local D1 migrations, then wrangler dev
// on PORT (default 8787) with wrangler's embedded D1, Queues and Durable Objects.
//
// Arguments after `--` go to wrangler dev, e.g. `npm run dev -- --var ALLOW_PRIVATE_WEBHOOK_URLS:false`
// (production URL rules) or `--inspector-port 9230`; a `--port` given there wins over PORT.
//
// wrangler dev never fires cron triggers by itself, so this script fires the `* * * * *`
// trigger at every minute boundary, as production does (the outbox sweep then works locally).
import { spawn, spawnSync } from "node:child_process";
import { ensureDevVars } from "./dev-vars.mjs";

ensureDevVars();
const extra = process.argv.slice(2);
const portFlag = extra.findIndex((arg) => arg === "--port" || arg.startsWith("--port="));
const port = portFlag === -1 ? process.env.PORT || "8787" : extra[portFlag].includes("=") ? extra[portFlag].split("=")[1] : extra[portFlag + 1];
const portArgs = portFlag === -1 ? ["--port", port] : [];

// CI=true keeps wrangler from asking for confirmation before applying migrations.
const env = { ...process.env, CI: "true" };
const migrated = spawnSync("wrangler", ["d1", "migrations", "apply", "DB", "--local"], { stdio: "inherit", env });
if (migrated.status !== 0) process.exit(migrated.status ?? 1);

const dev = spawn("wrangler", ["dev", ...portArgs, "--ip", "127.0.0.1", ...extra], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));

// wrangler's local endpoint for scheduled events (it also accepts /cdn-cgi/handler/scheduled).
const CRON_URL = `http://127.0.0.1:${port}/cdn-cgi/local/scheduled?cron=${encodeURIComponent("* * * * *")}`;
const nextMinute = () =>
  setTimeout(
    () => {
      fetch(CRON_URL).catch(() => {}); // not up yet, or restarting: the next minute tries again
      nextMinute();
    },
    60_000 - (Date.now() % 60_000),
  ).unref();
nextMinute();
