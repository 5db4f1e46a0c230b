// `npm run dev`: .dev.vars from the example if missing, local D1 migrations, the dashboard built
// into dist/ui and rebuilt on every change under ui/, then wrangler dev on PORT (default 8787)
// with wrangler's embedded D1, Queues and Durable Objects, serving API and dashboard on one port.
// PERSIST_TO (a folder for local state) and INSPECTOR_PORT let a test run its own copy.
import { spawn, spawnSync } from "node:child_process";
import { ensureDevVars } from "./dev-vars.mjs";

ensureDevVars();
const port = process.env.PORT || "8787";
const persist = process.env.PERSIST_TO ? ["--persist-to", process.env.PERSIST_TO] : [];
const inspector = process.env.INSPECTOR_PORT ? ["--inspector-port", process.env.INSPECTOR_PORT] : [];
// CI=true keeps wrangler from asking for confirmation before applying migrations.
const env = { ...process.env, CI: "true" };

const run = (cmd, args) => {
  const result = spawnSync(cmd, args, { stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
run("wrangler", ["d1", "migrations", "apply", "DB", "--local", ...persist]);
run("vite", ["build", "--config", "ui/vite.config.ts", "--logLevel", "warn"]);

// The watcher rebuilds dist/ui on change; wrangler dev serves whatever is there.
const children = [
  spawn("vite", ["build", "--watch", "--config", "ui/vite.config.ts", "--logLevel", "warn"], { stdio: "inherit", env }),
  spawn("wrangler", ["dev", "--port", port, "--ip", "127.0.0.1", ...persist, ...inspector], { stdio: "inherit", env }),
];
const stop = (code) => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  process.exit(code);
};
for (const child of children) child.on("exit", (code) => stop(code ?? 0));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stop(0));
