// `npm run bench`: starts `wrangler dev` on its own port and state folder, seeds D1 directly,
// and prints latency figures for the paths whose cost must not grow with data:
//   - publishing an event when the org has 1 vs 1,000 webhooks (subscriber lookup is indexed)
//   - workflow stats and list pages at 10 vs 100,000 workflows (counters, keyset cursors)
//   - publish → signed delivery received by a local receiver (end-to-end latency)
//   - workflow advance latency through the Durable Object
// Numbers only; nothing here asserts a time.
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sign } from "hono/jwt";
import { readDevVars } from "./dev-vars.mjs";

const PORT = Number(process.env.BENCH_PORT || 8799);
const BASE = `http://127.0.0.1:${PORT}`;
const SAMPLES = Number(process.env.BENCH_SAMPLES || 60);
const state = mkdtempSync(join(tmpdir(), "pca-bench-"));
const vars = readDevVars();

const wrangler = (args, opts = {}) =>
  spawnSync("npx", ["wrangler", ...args], { encoding: "utf8", env: { ...process.env, CI: "true" }, ...opts });

function sql(statements) {
  const file = join(state, `seed-${Date.now()}.sql`);
  writeFileSync(file, statements.join(";\n") + ";\n");
  const r = wrangler(["d1", "execute", "DB", "--local", "--persist-to", state, "--file", file]);
  if (r.status !== 0) throw new Error(`seeding failed: ${r.stderr || r.stdout}`);
}

async function token(org, role = "admin") {
  const now = Math.floor(Date.now() / 1000);
  return sign({ sub: "bench", org, role, iat: now, exp: now + 3600 }, vars.JWT_SECRET, "HS256");
}

async function api(tok, method, path, body) {
  const res = await fetch(BASE + path, {
    method,
    headers: { authorization: `Bearer ${tok}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function timeIt(fn, samples = SAMPLES) {
  const times = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await fn(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
  return `p50 ${q(0.5)} ms  p95 ${q(0.95)} ms  (n=${samples})`;
}

const row = (label, figures) => console.log(`${label.padEnd(52)} ${figures}`);

function seedWebhooks(org, count, subscribedType) {
  const now = Date.now();
  sql([
    `INSERT INTO webhooks (id, org, url, description, active, headers, secret_enc, consecutive_failures, created_at, updated_at)
     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
     SELECT '${org}_wh_' || i, '${org}', 'https://receiver.invalid/' || i, NULL, 1, '{}', 'unused', 0, ${now}, ${now} FROM n`,
    `INSERT INTO webhook_event_types (webhook_id, org, event_type)
     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
     SELECT '${org}_wh_' || i, '${org}', '${subscribedType}' FROM n`,
  ]);
}

function seedWorkflows(org, count) {
  const now = Date.now();
  sql([
    `INSERT INTO workflows (id, org, document_id, workflow_type, steps, current_step, total_steps, status, assigned_to, metadata, version, created_at, updated_at, completed_at)
     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
     SELECT printf('wf_%s_%09d', '${org}', i), '${org}', 'doc-' || (i % 5000), 'approval', '["a","b"]', 1, 2, 'in_progress', NULL, NULL, 1, ${now} - i, ${now} - i, NULL FROM n`,
    `INSERT INTO workflow_stats (org, status, count) VALUES ('${org}', 'in_progress', ${count})`,
  ]);
}

async function main() {
  const migrate = wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", state]);
  if (migrate.status !== 0) throw new Error(migrate.stderr || migrate.stdout);
  seedWebhooks("bench-wh-small", 1, "patient.updated");
  seedWebhooks("bench-wh-large", 1000, "patient.updated");
  seedWorkflows("bench-wf-small", 10);
  seedWorkflows("bench-wf-large", 100_000);

  const dev = spawn("npx", ["wrangler", "dev", "--port", String(PORT), "--ip", "127.0.0.1", "--persist-to", state], {
    env: { ...process.env, CI: "true" },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const stop = () => {
    try { process.kill(-dev.pid, "SIGTERM"); } catch {}
  };
  process.on("exit", stop);
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${BASE}/health`)).ok) break;
    } catch {}
    if (i > 120) throw new Error("wrangler dev did not start");
    await new Promise((r) => setTimeout(r, 500));
  }

  console.log(`\nPurple Cross Automation benchmark (wrangler dev, local D1/Queues/DO), ${new Date().toISOString()}\n`);

  for (const [org, count] of [["bench-wh-small", 1], ["bench-wh-large", 1000]]) {
    const t = await token(org);
    // Publish a type nobody subscribes to: the cost measured is the lookup plus the event write.
    row(`POST /events, org with ${count} webhook(s)`, await timeIt(() => api(t, "POST", "/api/v1/events", { type: "invoice.paid", data: { invoiceId: "inv" } })));
  }

  for (const [org, count] of [["bench-wf-small", 10], ["bench-wf-large", 100_000]]) {
    const t = await token(org, "viewer");
    row(`GET /workflows/stats, ${count} workflows`, await timeIt(() => api(t, "GET", "/api/v1/workflows/stats")));
    row(`GET /workflows?limit=20 first page, ${count} workflows`, await timeIt(() => api(t, "GET", "/api/v1/workflows?limit=20")));
    // A cursor deep into the list: keyset pagination starts there by index, not by skipping rows.
    const deep = Math.floor(count * 0.9);
    const cursor = Buffer.from(JSON.stringify({ t: Date.now() - deep, id: `wf_${org}_${String(deep).padStart(9, "0")}` })).toString("base64url");
    row(`GET /workflows page at row ${deep}`, await timeIt(() => api(t, "GET", `/api/v1/workflows?limit=20&cursor=${cursor}`)));
  }

  // End to end: publish → queue → signed POST to a receiver on localhost.
  const arrived = new Map(); // webhook-id → arrival time
  const waiting = new Map(); // webhook-id → resolve
  const receiver = createServer((req, res) => {
    const id = req.headers["webhook-id"];
    arrived.set(id, performance.now());
    waiting.get(id)?.();
    req.resume();
    res.end("ok");
  }).listen(0, "127.0.0.1");
  await new Promise((r) => receiver.once("listening", r));
  const admin = await token("bench-e2e");
  await api(admin, "POST", "/api/v1/webhooks", { url: `http://127.0.0.1:${receiver.address().port}/hook`, events: ["lab_test.completed"] });
  row("publish → receiver got the signed POST", await timeIt(async () => {
    const event = await api(admin, "POST", "/api/v1/events", { type: "lab_test.completed", data: { labTestId: "lt" } });
    if (arrived.has(event.id)) return;
    await new Promise((resolve, reject) => {
      waiting.set(event.id, resolve);
      setTimeout(() => reject(new Error("no delivery within 10 s")), 10_000).unref();
    });
  }, 20));
  receiver.close();

  const staff = await token("bench-wf-advance", "staff");
  row("POST /workflows/:id/advance (through the DO)", await timeIt(async (i) => {
    if (i % 5 === 0) globalThis.benchWf = await api(staff, "POST", "/api/v1/workflows", { documentId: `doc-${i}`, workflowType: "approval", steps: ["a", "b", "c", "d", "e"] });
    await api(staff, "POST", `/api/v1/workflows/${globalThis.benchWf.id}/advance`, {});
  }, 50));

  stop();
  rmSync(state, { recursive: true, force: true });
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
