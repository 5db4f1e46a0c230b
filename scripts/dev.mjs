// `npm run dev`: .dev.vars from the example if missing, local D1 migrations, then wrangler dev
// on PORT (default 8787) with wrangler's embedded D1, Queues and Durable Objects.
import { spawnSync } from "node:child_process";
import { ensureDevVars } from "./dev-vars.mjs";

ensureDevVars();
const port = process.env.PORT || "8787";
const run = (args) => {
  // CI=true keeps wrangler from asking for confirmation before applying migrations.
  const result = spawnSync("wrangler", args, { stdio: "inherit", env: { ...process.env, CI: "true" } });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
run(["d1", "migrations", "apply", "DB", "--local"]);
run(["dev", "--port", port, "--ip", "127.0.0.1"]);
