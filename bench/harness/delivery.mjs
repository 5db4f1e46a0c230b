// P4 and P5's delivery and publish figures: events published over HTTP, delivered through
// the queue to the local receiver; the floor's consumer only fetches.
import { interleave, median, pool, round1, round2 } from "./measure.mjs";
import { cpuDetail, cpuPerUnit, withCpu } from "./cpu.mjs";

const ORGS = 10;
export const WEBHOOKS = 10;
const EVENT_TYPE = "lab_test.completed";
const data = (i) => ({ labTestId: `lt-${i}`, patientId: "pat-1", testCode: "CBC" });

async function api(ctx, org, method, path, body) {
  const res = await fetch(ctx.worker + path, {
    method,
    headers: { authorization: `Bearer ${await ctx.token(org, "admin")}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return { json: text ? JSON.parse(text) : undefined, d1: Number(res.headers.get("x-bench-d1")) };
}

const d1Totals = async (ctx) => (await fetch(`${ctx.worker}/api/__bench/d1`)).json();

/** `orgs` × `count` webhooks subscribed to EVENT_TYPE, each its own receiver path under /run/. */
async function subscribe(ctx, run, orgs, count) {
  await pool(orgs.length * count, 10, (n) =>
    api(ctx, orgs[Math.floor(n / count)], "POST", "/api/v1/webhooks", {
      url: `${ctx.receiver.base}/${run}/${Math.floor(n / count)}/${n % count}`,
      events: [EVENT_TYPE],
    }),
  );
}

/** What one run delivered: throughput from first publish to last arrival, latency, exactly-once. */
function tally(ctx, run, starts, expected) {
  let found = 0;
  let duplicates = 0;
  let last = 0;
  const latencies = [];
  for (const [key, arrival] of ctx.receiver.arrivals) {
    if (!key.startsWith(`/${run}/`)) continue;
    const start = starts.get(key.slice(key.indexOf(" ") + 1));
    if (start === undefined) continue;
    found++;
    duplicates += arrival.count - 1;
    last = Math.max(last, arrival.at);
    latencies.push(arrival.at - start);
  }
  const first = Math.min(...starts.values());
  return { perSecond: found / ((last - first) / 1000), p50: median(latencies), missing: expected - found, duplicates };
}

const deliverRun = async (ctx, base, run, events, publish) => {
  const measured = await withCpu(base, () => deliveries(ctx, run, events, publish));
  return { ...measured, count: events * WEBHOOKS };
};

async function deliveries(ctx, run, events, publish) {
  const starts = new Map();
  ctx.receiver.resetRun(run);
  const began = performance.now();
  await pool(events, 10, async (i) => {
    const t0 = performance.now();
    starts.set(await publish(i), t0);
  });
  const publishSeconds = (performance.now() - began) / 1000;
  const expected = events * WEBHOOKS;
  await ctx.receiver.waitFor(run, expected, 120_000);
  await new Promise((r) => setTimeout(r, 2_000)); // room for a duplicate to show up
  return { ...tally(ctx, run, starts, expected), publishSeconds };
}

export async function p4(ctx) {
  // Two rounds even when quick: one round of 200 events moved the ratio by ±0.06 run to run.
  const rounds = 2;
  const events = ctx.quick ? 200 : 1000;
  const orgs = Array.from({ length: ORGS }, (_, k) => `p4-${k}`);
  await subscribe(ctx, "a", orgs, WEBHOOKS);
  const before = await d1Totals(ctx);
  const run = await interleave(
    rounds,
    () =>
      deliverRun(ctx, ctx.worker, `a`, events, async (i) => {
        const { json } = await api(ctx, orgs[i % ORGS], "POST", "/api/v1/events", { type: EVENT_TYPE, data: data(i) });
        return json.id;
      }),
    (r) =>
      deliverRun(ctx, ctx.floor, `f${r}`, events, async (i) => {
        const id = `fe_${r}_${i}`;
        const urls = Array.from({ length: WEBHOOKS }, (_, j) => `${ctx.receiver.base}/f${r}/${i % ORGS}/${j}`);
        const res = await fetch(`${ctx.floor}/api/floor/publish`, { method: "POST", body: JSON.stringify({ id, urls, data: data(i) }) });
        if (!res.ok) throw new Error(`floor publish → ${res.status}`);
        return id;
      }),
    (a, b) => a.perSecond / b.perSecond,
  );
  const after = await d1Totals(ctx);
  const q = {
    roundTrips: after.queue.roundTrips - before.queue.roundTrips,
    batches: after.queue.batches - before.queue.batches,
    messages: after.queue.messages - before.queue.messages,
  };
  ctx.note(`P4: ${events} events over ${ORGS} orgs (${events / ORGS} each per round, limit 600 per org per 60 s) × ${WEBHOOKS} webhooks each.`);
  const exactlyOnce = run.a.every((r) => r.missing === 0 && r.duplicates === 0);
  const ratio = round2(run.ratio);
  const cpu = cpuPerUnit(run);
  return [
    {
      id: "P4",
      label: `${events.toLocaleString("en")} events × ${WEBHOOKS} webhooks to a local receiver`,
      unit: "deliveries/s",
      value: round1(median(run.a.map((r) => r.perSecond))),
      floor: round1(median(run.b.map((r) => r.perSecond))),
      ratio,
      target: ">= 0.5, exactly once",
      pass: ratio >= 0.5 && exactlyOnce,
      cpu,
      detail:
        `publish→receive p50 ${round1(median(run.a.map((r) => r.p50)) / 1000)} s vs floor ${round1(median(run.b.map((r) => r.p50)) / 1000)} s; ` +
        `publishing all events took ${round1(median(run.a.map((r) => r.publishSeconds)))} s vs floor ${round1(median(run.b.map((r) => r.publishSeconds)))} s; ` +
        `${cpuDetail(cpu, "delivery, publish included")}; ` +
        `missing ${run.a.map((r) => r.missing).join("/")}, duplicates ${run.a.map((r) => r.duplicates).join("/")}`,
    },
    {
      id: "P5a",
      label: "D1 round trips per batch of deliveries",
      unit: "round trips",
      value: round2(q.roundTrips / q.batches),
      floor: null,
      ratio: null,
      target: "<= 2",
      pass: q.roundTrips / q.batches <= 2,
      detail: `${q.roundTrips} round trips, ${q.batches} batches, ${q.messages} messages (${round2(q.roundTrips / q.messages)} per delivery)`,
    },
  ];
}

export async function p5Publish(ctx) {
  const org = "p5-publish";
  await subscribe(ctx, "p5", [org], 100);
  const counts = [];
  for (let i = 0; i < 5; i++) counts.push((await api(ctx, org, "POST", "/api/v1/events", { type: EVENT_TYPE, data: data(i) })).d1);
  await ctx.receiver.waitFor("p5", 500, 60_000); // let its 500 deliveries drain before the next figure
  const value = median(counts);
  return {
    id: "P5b",
    label: "D1 round trips per publish with 100 subscribers (no Idempotency-Key)",
    unit: "round trips",
    value,
    floor: null,
    ratio: null,
    target: "<= 2",
    pass: value <= 2,
    detail: `per request: ${counts.join(", ")}`,
  };
}

export { d1Totals };
