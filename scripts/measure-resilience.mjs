// `node scripts/measure-resilience.mjs slow|crash|flaky`: delivery figures measured against
// `npm run dev` (numbers only; no test asserts a time). Ports: MEASURE_PORT (the Worker,
// default 8811; inspector 9311), +2 a receiver that never answers, +3 a healthy one, +4 one
// that fails half its requests.
//
// slow:  15 webhooks to a receiver that accepts and never answers plus 1 healthy webhook, one
//        event, WEBHOOK_TIMEOUT_MS=3000: how long until the healthy delivery arrives (5 rounds).
// crash: 200 events to one healthy webhook, the local runtime killed right after the last 202,
//        then started again: how long until every event has arrived, counted from the restart.
// flaky: 200 events to 2 webhooks on a receiver answering 500 to a random half of its requests,
//        WEBHOOK_RETRY_BASE_SECONDS=1: every delivery must end succeeded (its event answered 2xx
//        exactly once) or visibly failed after its attempts (never answered 2xx); none lost.
import { spawn } from "node:child_process";
import { createServer as createHttpServer } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { readDevVars } from "./dev-vars.mjs";
import { signedToken } from "./token-claims.mjs";

const mode = process.argv[2];
const port = Number(process.env.MEASURE_PORT || 8811);
const base = `http://127.0.0.1:${port}`;
const deadPort = port + 2;
const okPort = port + 3;
const vars = readDevVars();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let dev;
async function startDev(extra = []) {
  dev = spawn("npm", ["run", "dev", "--", "--inspector-port", String(port + 500), ...extra], {
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  for (let i = 0; i < 120; i++) {
    await sleep(500);
    if (
      await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return Date.now();
  }
  throw new Error("wrangler dev did not start");
}
const stopDev = () => {
  try {
    process.kill(-dev.pid, "SIGKILL");
  } catch {}
};

const arrivals = new Map(); // webhook-id + path → first arrival (ms)
const okServer = createHttpServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const key = `${req.headers["webhook-id"]} ${req.url}`;
    if (!arrivals.has(key)) arrivals.set(key, Date.now());
    res.writeHead(204).end();
  });
}).listen(okPort, "127.0.0.1");
const flakyAnswers = new Map(); // webhook-id + path → { requests, ok }
const flakyServer = createHttpServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const key = `${req.headers["webhook-id"]} ${req.url}`;
    const seen = flakyAnswers.get(key) ?? { requests: 0, ok: 0 };
    const ok = Math.random() < 0.5;
    flakyAnswers.set(key, { requests: seen.requests + 1, ok: seen.ok + (ok ? 1 : 0) });
    res.writeHead(ok ? 204 : 500).end();
  });
}).listen(port + 4, "127.0.0.1");
const held = [];
const deadServer = createTcpServer((socket) => held.push(socket)).listen(deadPort, "127.0.0.1");

async function api(org, method, path, body) {
  // The claims `npm run token` makes, so a .dev.vars with JWT_ISSUER or JWT_AUDIENCE works too.
  const token = await signedToken({ org, role: "admin", sub: "measure" }, vars);
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json().catch(() => undefined);
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}
const publish = (org, i) => api(org, "POST", "/api/v1/events", { type: "patient.created", data: { patientId: `pat_${i}`, name: "Rex" } });
const hook = (org, url) => api(org, "POST", "/api/v1/webhooks", { url, events: ["patient.created"] });

async function slow() {
  await startDev(["--var", "WEBHOOK_TIMEOUT_MS:3000"]);
  const figures = [];
  for (let round = 0; round < 5; round++) {
    const org = `slow-${Date.now()}-${round}`;
    for (let i = 0; i < 15; i++) await hook(org, `http://127.0.0.1:${deadPort}/dead/${i}`);
    await hook(org, `http://127.0.0.1:${okPort}/ok/${round}`);
    const started = Date.now();
    const event = await publish(org, round);
    const key = `${event.id} /ok/${round}`;
    while (!arrivals.has(key) && Date.now() - started < 60_000) await sleep(20);
    figures.push((arrivals.get(key) ?? Number.NaN) - started);
    await sleep(12_000); // let this round's dead attempts (and their batches) time out before the next
  }
  const sorted = [...figures].sort((a, b) => a - b);
  console.log(`healthy delivery behind 15 dead endpoints (ms), 5 rounds: ${figures.join(", ")}; median ${sorted[2]}, max ${sorted[4]}`);
}

async function crash() {
  await startDev();
  const org = `crash-${Date.now()}`;
  await hook(org, `http://127.0.0.1:${okPort}/crash`);
  const ids = [];
  for (let i = 0; i < 200; i += 20) ids.push(...(await Promise.all(Array.from({ length: 20 }, (_, j) => publish(org, i + j)))).map((e) => e.id));
  stopDev();
  const killedAt = Date.now();
  const arrivedBeforeKill = ids.filter((id) => arrivals.has(`${id} /crash`)).length;
  await sleep(1000);
  const restartedAt = await startDev();
  const missing = () => ids.filter((id) => !arrivals.has(`${id} /crash`)).length;
  while (missing() > 0 && Date.now() - restartedAt < 300_000) await sleep(200);
  const last = Math.max(...ids.map((id) => arrivals.get(`${id} /crash`) ?? Number.NaN));
  console.log(
    `crash: ${ids.length - arrivedBeforeKill} of ${ids.length} undelivered at the kill; restart took ${((restartedAt - killedAt) / 1000).toFixed(1)} s; ` +
      `all delivered ${((last - restartedAt) / 1000).toFixed(1)} s after the restart (${missing()} still missing)`,
  );
}

/** Every delivery of `org` with `status`, through the API's pages. */
async function deliveriesOf(org, status) {
  const all = [];
  let cursor;
  do {
    const page = await api(org, "GET", `/api/v1/deliveries?status=${status}&limit=100${cursor ? `&cursor=${cursor}` : ""}`);
    all.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

async function flaky() {
  await startDev(["--var", "WEBHOOK_RETRY_BASE_SECONDS:1"]);
  const org = `flaky-${Date.now()}`;
  const paths = new Map(); // webhook id → its receiver path
  for (const n of [0, 1]) paths.set((await hook(org, `http://127.0.0.1:${port + 4}/flaky/${n}`)).id, `/flaky/${n}`);
  const ids = [];
  for (let i = 0; i < 200; i += 20) ids.push(...(await Promise.all(Array.from({ length: 20 }, (_, j) => publish(org, i + j)))).map((e) => e.id));
  const published = Date.now();
  while ((await deliveriesOf(org, "pending")).length > 0 && Date.now() - published < 300_000) await sleep(1000);
  const done = (Date.now() - published) / 1000;

  const [succeeded, failed, pending] = await Promise.all(["succeeded", "failed", "pending"].map((status) => deliveriesOf(org, status)));
  const answers = (d) => flakyAnswers.get(`${d.eventId} ${paths.get(d.webhookId)}`) ?? { requests: 0, ok: 0 };
  const expected = ids.length * paths.size;
  const lost = expected - succeeded.length - failed.length - pending.length;
  const notOnce = succeeded.filter((d) => answers(d).ok !== 1).length;
  const failedButAnswered = failed.filter((d) => answers(d).ok !== 0).length;
  const requests = [...flakyAnswers.values()].reduce((n, a) => n + a.requests, 0);
  console.log(
    `flaky: ${expected} deliveries (${ids.length} events × ${paths.size} webhooks), receiver failing 50 % of ${requests} requests: ` +
      `${succeeded.length} succeeded, ${failed.length} failed visibly after their attempts, ${pending.length} still pending, ${lost} lost; ` +
      `succeeded but not answered 2xx exactly once: ${notOnce}; failed although answered 2xx: ${failedButAnswered}; settled ${done.toFixed(0)} s after the last publish`,
  );
  if (lost || notOnce || failedButAnswered || pending.length) process.exitCode = 1;
}

try {
  if (mode === "slow") await slow();
  else if (mode === "crash") await crash();
  else if (mode === "flaky") await flaky();
  else console.error("usage: node scripts/measure-resilience.mjs slow|crash|flaky");
} finally {
  stopDev();
  okServer.close();
  flakyServer.close();
  for (const s of held) s.destroy();
  deadServer.close();
}
