// Measuring: autocannon for HTTP load, A/B rounds interleaved (the order alternates each round
// so a machine that slows down or speeds up mid-run hits both sides alike), medians.
import autocannon from "autocannon";

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * One autocannon run. `targets` rotate per request ({ path, headers, body }, headers and body
 * optional), which is how load is spread over many orgs. Either `duration` (s) or `amount`
 * (requests) bounds it. Any non-2xx answer, error or timeout fails the run: a figure that
 * includes error answers would be a wrong figure, silently.
 */
export async function load(base, { targets, connections = 1, duration, amount, method = "GET" }) {
  let next = 0;
  const result = await autocannon({
    url: base,
    connections,
    ...(amount ? { amount } : { duration }),
    requests: [
      {
        method,
        setupRequest: (req) => {
          const target = targets[next++ % targets.length];
          return { ...req, path: target.path, headers: { ...req.headers, ...target.headers }, body: target.body ?? req.body };
        },
      },
    ],
  });
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) throw new Error(`${bad} of ${result.requests.total} requests to ${base} failed (non-2xx, errors or timeouts)`);
  return { rps: result.requests.total / result.duration, p50: result.latency.p50, p99: result.latency.p99, total: result.requests.total };
}

/**
 * `rounds` rounds of A then B (B then A on odd rounds). Returns each side's figures and the
 * per-round ratios ratio(a, b): pairing adjacent runs cancels drift in the machine's load.
 */
export async function interleave(rounds, runA, runB, ratio) {
  const a = [];
  const b = [];
  const ratios = [];
  for (let i = 0; i < rounds; i++) {
    let ra;
    let rb;
    if (i % 2 === 0) {
      ra = await runA(i);
      rb = await runB(i);
    } else {
      rb = await runB(i);
      ra = await runA(i);
    }
    a.push(ra);
    b.push(rb);
    ratios.push(ratio(ra, rb));
  }
  return { a, b, ratio: median(ratios), ratios };
}

/** Runs `fn(i)` for i < count, `concurrency` at a time. */
export async function pool(count, concurrency, fn) {
  let next = 0;
  const worker = async () => {
    while (next < count) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

export const round1 = (n) => Math.round(n * 10) / 10;
export const round2 = (n) => Math.round(n * 100) / 100;
