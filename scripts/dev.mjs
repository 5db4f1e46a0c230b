// `npm run dev`: .dev.vars from the example if missing, local D1 migrations, the dashboard built
// into dist/ui and rebuilt on every change under ui/, then wrangler dev on PORT (default 8787)
// with wrangler's embedded D1, Queues and Durable Objects, serving API and dashboard on one port.
//
// Arguments after `--` go to wrangler dev, e.g. `npm run dev -- --var ALLOW_PRIVATE_WEBHOOK_URLS:false`
// (production URL rules) or `--inspector-port 9230`; a `--port` given there wins over PORT.
// PERSIST_TO (a folder for the local state, used by migrations and wrangler dev alike) lets a
// second copy, such as the browser tests', run beside yours.
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
const persist = process.env.PERSIST_TO ? ["--persist-to", process.env.PERSIST_TO] : [];

// CI=true keeps wrangler from asking for confirmation before applying migrations.
const env = { ...process.env, CI: "true" };
const run = (cmd, args) => {
  const result = spawnSync(cmd, args, { stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
run("wrangler", ["d1", "migrations", "apply", "DB", "--local", ...persist]);
const UI_BUILD = ["build", "--config", "ui/vite.config.ts", "--logLevel", "warn"];
run("vite", UI_BUILD);

// The watcher rebuilds dist/ui on change; wrangler dev serves whatever is there.
const children = [
  spawn("vite", [...UI_BUILD, "--watch"], { stdio: "inherit", env }),
  spawn("wrangler", ["dev", ...portArgs, "--ip", "127.0.0.1", ...persist, ...extra], { stdio: "inherit", env }),
];
const stop = (code) => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  process.exit(code);
};
for (const child of children) child.on("exit", (code) => stop(code ?? 0));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stop(0));

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
