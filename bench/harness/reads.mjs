// P1–P3: reads. P1 is throughput against the floor's bare read; P2 and P3 compare the
// product with itself at two data sizes (the cost must not grow with the data).
import { cpuDetail, cpuPerUnit, withCpu } from "./cpu.mjs";
import { interleave, load, median, round1, round2 } from "./measure.mjs";
import { BIG, deepCursor, P1_ORGS, p1Id, p1Org, SMALL } from "./seeds.mjs";

const range = (n) => Array.from({ length: n }, (_, i) => i);

export async function p1(ctx) {
  // Many short rounds: on a shared machine, the closer in time the two sides of a round run,
  // the more of other work's noise they share.
  const rounds = ctx.quick ? 6 : 10;
  const duration = ctx.quick ? 2 : 3;
  const connections = 20;
  const worker = await Promise.all(
    range(P1_ORGS).map(async (i) => ({
      path: `/api/v1/workflows/${p1Id(i)}`,
      headers: { authorization: `Bearer ${await ctx.token(p1Org(i), "viewer")}` },
    })),
  );
  const floor = range(P1_ORGS).map((i) => ({ path: `/api/floor/read/${p1Org(i)}/${p1Id(i)}` }));
  // Warm both (JIT, SQLite page cache) before anything counts.
  await load(ctx.worker, { targets: worker, connections, duration: 1 });
  await load(ctx.floor, { targets: floor, connections, duration: 1 });
  const run = await interleave(
    rounds,
    () => withCpu(ctx.worker, () => load(ctx.worker, { targets: worker, connections, duration })),
    () => withCpu(ctx.floor, () => load(ctx.floor, { targets: floor, connections, duration })),
    (a, b) => a.rps / b.rps,
  );
  const perOrg = Math.ceil(run.a.reduce((sum, r) => sum + r.total, 0) / P1_ORGS);
  ctx.note(
    `P1: load spread over ${P1_ORGS} orgs, at most ~${perOrg} requests per org in the whole run (limit 600 per org per 60 s): the rate limit is not what is measured.`,
  );
  const ratio = round2(run.ratio);
  const cpu = cpuPerUnit(run);
  return {
    id: "P1",
    label: `authenticated GET /workflows/:id, ${connections} connections`,
    unit: "req/s",
    value: round1(median(run.a.map((r) => r.rps))),
    floor: round1(median(run.b.map((r) => r.rps))),
    ratio,
    target: ">= 0.85",
    pass: ratio >= 0.85,
    cpu,
    detail: `p50 ${median(run.a.map((r) => r.p50))} ms vs floor ${median(run.b.map((r) => r.p50))} ms; ${cpuDetail(cpu, "request")}; per-round ratios ${run.ratios.map(round2).join(", ")}`,
  };
}

/** p50 of `samples` sequential GETs (fetch keeps the connection alive), in ms. */
async function latency(url, headers, samples) {
  const times = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`GET ${url} → ${res.status}`);
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Same route at two data sizes, interleaved; ratio = large ÷ small p50. */
async function sizeRatio(ctx, large, small) {
  const rounds = ctx.quick ? 3 : 5;
  const samples = ctx.quick ? 30 : 40;
  await latency(large.url, large.headers, 5);
  await latency(small.url, small.headers, 5);
  return interleave(
    rounds,
    () => latency(large.url, large.headers, samples),
    () => latency(small.url, small.headers, samples),
    (a, b) => a / b,
  );
}

/** A P2/P3 entry: the large side is the value, the small side stands in for a floor. */
function sizeFigure(id, label, floorIs, run) {
  const ratio = round2(run.ratio);
  return {
    id,
    label,
    unit: "ms p50",
    value: round2(median(run.a)),
    floor: round2(median(run.b)),
    ratio,
    target: "<= 1.2",
    pass: ratio <= 1.2,
    detail: `floor = ${floorIs}; per-round ratios ${run.ratios.map(round2).join(", ")}`,
  };
}

export async function p2(ctx) {
  const headers = { authorization: `Bearer ${await ctx.token("big-list", "viewer")}` };
  const depth = BIG - 1_000;
  const base = `${ctx.worker}/api/v1/workflows?limit=20`;
  const run = await sizeRatio(ctx, { url: `${base}&cursor=${deepCursor(ctx.now, depth)}`, headers }, { url: base, headers });
  const label = `list page at depth ${depth.toLocaleString("en")} ÷ page 1 (${BIG.toLocaleString("en")} workflows)`;
  return sizeFigure("P2", label, "page 1 of the same org", run);
}

export async function p3(ctx) {
  const url = `${ctx.worker}/api/v1/workflows/stats`;
  const run = await sizeRatio(
    ctx,
    { url, headers: { authorization: `Bearer ${await ctx.token("big-stats", "viewer")}` } },
    { url, headers: { authorization: `Bearer ${await ctx.token("small-stats", "viewer")}` } },
  );
  return sizeFigure("P3", `stats at ${BIG.toLocaleString("en")} ÷ at ${SMALL} workflows`, `the same route for an org of ${SMALL}`, run);
}
