// P6 and P5's advance figure: workflow advances through the Durable Object, against the
// floor's plain D1 UPDATE of the same row.
import { d1Totals } from "./delivery.mjs";
import { cpuDetail, cpuPerUnit, withCpu } from "./cpu.mjs";
import { interleave, median, pool, round1, round2 } from "./measure.mjs";
import { P5_ADVANCE, P6_ADVANCES, P6_WORKFLOWS, p6Id, p6Org } from "./seeds.mjs";

async function post(url, headers) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: "{}" });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url} → ${res.status} ${text}`);
  return res;
}

/** P6_WORKFLOWS at once, each advanced P6_ADVANCES times in a row: `rate` advances per second, and the server's CPU. */
function advanceRun(base, advance) {
  return withCpu(base, async () => {
    const count = P6_WORKFLOWS * P6_ADVANCES;
    const t0 = performance.now();
    await pool(P6_WORKFLOWS, P6_WORKFLOWS, async (i) => {
      for (let n = 0; n < P6_ADVANCES; n++) await advance(i);
    });
    return { rate: count / ((performance.now() - t0) / 1000), count };
  });
}

export async function p6(ctx) {
  const rounds = ctx.p6Rounds;
  const tokens = [];
  for (let r = 0; r < rounds; r++) {
    tokens.push(await Promise.all(Array.from({ length: P6_WORKFLOWS }, (_, i) => ctx.token(p6Org(r, i), "staff"))));
  }
  const run = await interleave(
    rounds,
    (r) => advanceRun(ctx.worker, (i) => post(`${ctx.worker}/api/v1/workflows/${p6Id(r, i)}/advance`, { authorization: `Bearer ${tokens[r][i]}` })),
    (r) => advanceRun(ctx.floor, (i) => post(`${ctx.floor}/api/floor/advance/${p6Org(r, i)}/${p6Id(r, i)}`, {})),
    (a, b) => a.rate / b.rate,
  );
  ctx.note(`P6: each workflow in its own org (${P6_ADVANCES} advances per org per round): the rate limit is not what is measured.`);
  const ratio = round2(run.ratio);
  const cpu = cpuPerUnit(run);
  return {
    id: "P6",
    label: `${P6_WORKFLOWS} workflows × ${P6_ADVANCES} advances, concurrent across workflows`,
    unit: "advances/s",
    value: round1(median(run.a.map((r) => r.rate))),
    floor: round1(median(run.b.map((r) => r.rate))),
    ratio,
    target: ">= 0.7",
    pass: ratio >= 0.7,
    cpu,
    detail: `floor = a plain D1 UPDATE per advance; ${cpuDetail(cpu, "advance")}; per-round ratios ${run.ratios.map(round2).join(", ")}`,
  };
}

export async function p5Advance(ctx) {
  const headers = { authorization: `Bearer ${await ctx.token(P5_ADVANCE.org, "staff")}` };
  const count = 10;
  // The first change after the object starts reads the row from D1; the figure is the steady state.
  await post(`${ctx.worker}/api/v1/workflows/${P5_ADVANCE.id}/advance`, headers);
  const before = await d1Totals(ctx);
  let fetchSide = 0;
  for (let i = 0; i < count; i++) {
    const res = await post(`${ctx.worker}/api/v1/workflows/${P5_ADVANCE.id}/advance`, headers);
    fetchSide += Number(res.headers.get("x-bench-d1"));
  }
  const after = await d1Totals(ctx);
  const inObject = (after.durableObject.roundTrips - before.durableObject.roundTrips) / count;
  const lookups = ((after.durableObject.subscriberLookups ?? 0) - (before.durableObject.subscriberLookups ?? 0)) / count;
  return {
    id: "P5c",
    label: "D1 round trips per advance in the Durable Object's critical section",
    unit: "round trips",
    value: round2(inObject),
    floor: null,
    ratio: null,
    target: "1 inside the critical section",
    pass: inObject <= 1,
    detail:
      `${count} sequential advances after a first one (which also reads the row); besides: ${round2(lookups)} subscriber lookup per advance, started before the change waits for the object, ` +
      `and ${round2(fetchSide / count)} in the Worker outside the object`,
  };
}
