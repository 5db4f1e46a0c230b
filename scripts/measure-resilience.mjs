// `node scripts/measure-resilience.mjs slow|crash`: the two delivery figures of issue 8, measured
// against `npm run dev` (numbers only; no test asserts a time). Ports: MEASURE_PORT (the
// Worker, default 8811; inspector 9311), +2 a receiver that never answers, +3 a healthy one.
//
// slow:  15 webhooks to a receiver that accepts and never answers plus 1 healthy webhook, one
//        event, WEBHOOK_TIMEOUT_MS=3000: how long until the healthy delivery arrives (5 rounds).
// crash: 200 events to one healthy webhook, the local runtime killed right after the last 202,
//        then started again: how long until every event has arrived, counted from the restart.
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

try {
  if (mode === "slow") await slow();
  else if (mode === "crash") await crash();
  else console.error("usage: node scripts/measure-resilience.mjs slow|crash");
} finally {
  stopDev();
  okServer.close();
  for (const s of held) s.destroy();
  deadServer.close();
}
