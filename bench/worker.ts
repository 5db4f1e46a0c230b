// The bench build of the Worker (`npm run bench` only, never deployed): the real app, queue
// consumer and Durable Object, with D1 wrapped so round trips are counted per place —
// each HTTP response says its own count in `x-bench-d1`, and GET /api/__bench/d1 returns the
// running totals (fetch, queue batches and messages, Durable Object) for the harness to diff.
// POST /api/__bench/sql seeds the local database in one batch without spawning wrangler.
// (Under /api/ because only /api/*, /docs and /health reach the Worker before static assets.)
//
// The wrapped env is made once per real env, never per request: the app caches things per env
// (its parsed config), and a fresh env per request would measure cache misses that production
// never has. Per-request counts therefore come from an AsyncLocalStorage, not a new wrapper.
import { AsyncLocalStorage } from "node:async_hooks";
import worker, { WorkflowObject as RealWorkflowObject } from "../src/index";
import { countingEnv } from "./d1-counter";

const totals = {
  fetch: { roundTrips: 0 },
  queue: { roundTrips: 0, batches: 0, messages: 0 },
  // The subscriber lookup a change starts before it waits for the object is counted apart.
  durableObject: { roundTrips: 0, subscriberLookups: 0 },
};
const thisRequest = new AsyncLocalStorage<{ roundTrips: number }>();

/** One counting env per real env and place, made on first use. */
function stableEnv(count: (sql: string) => void) {
  const made = new WeakMap<Env, Env>();
  return (env: Env) => {
    let counted = made.get(env);
    if (!counted) {
      counted = countingEnv(env, count);
      made.set(env, counted);
    }
    return counted;
  };
}

const fetchEnv = stableEnv(() => {
  totals.fetch.roundTrips++;
  const request = thisRequest.getStore();
  if (request) request.roundTrips++;
});
const queueEnv = stableEnv(() => totals.queue.roundTrips++);
const objectEnv = stableEnv((sql) => {
  if (sql.includes('from "webhook_event_types"')) totals.durableObject.subscriberLookups++;
  else totals.durableObject.roundTrips++;
});

async function benchRoute(request: Request, env: Env): Promise<Response | undefined> {
  const { pathname } = new URL(request.url);
  if (pathname === "/api/__bench/d1") return Response.json(totals);
  if (pathname === "/api/__bench/sql" && request.method === "POST") {
    const { statements } = (await request.json()) as { statements: string[] };
    await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
    return Response.json({ ok: true });
  }
  return undefined;
}

export default {
  async fetch(request, env, ctx) {
    const bench = await benchRoute(request, env);
    if (bench) return bench;
    const counter = { roundTrips: 0 };
    const response = await thisRequest.run(counter, () => worker.fetch(request, fetchEnv(env), ctx));
    const counted = new Response(response.body, response);
    counted.headers.set("x-bench-d1", String(counter.roundTrips));
    return counted;
  },
  async queue(batch, env) {
    if (batch.queue === "pca-deliveries") {
      totals.queue.batches++;
      totals.queue.messages += batch.messages.length;
      return worker.queue(batch, queueEnv(env));
    }
    return worker.queue(batch, env);
  },
  scheduled: (controller, env) => worker.scheduled(controller, env),
} satisfies ExportedHandler<Env>;

export class WorkflowObject extends RealWorkflowObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, objectEnv(env));
  }
}

// Every other export of the Worker (Durable Objects, the RPC entrypoint) as it is; the local
// WorkflowObject above takes precedence over the star export's.
export * from "../src/index";
