// The bench build of the Worker (`npm run bench` only, never deployed): the real app, queue
// consumer and Durable Object, with D1 wrapped so round trips are counted per place —
// each HTTP response says its own count in `x-bench-d1`, and GET /__bench/d1 returns the
// running totals (fetch, queue batches and messages, Durable Object) for the harness to diff.
// POST /__bench/sql seeds the local database in one batch without spawning wrangler.
import worker, { AutomationService, WorkflowObject as RealWorkflowObject } from "../src/index";
import { type Counter, countingEnv } from "./d1-counter";

const totals = {
  fetch: { roundTrips: 0 },
  queue: { roundTrips: 0, batches: 0, messages: 0 },
  durableObject: { roundTrips: 0 },
};

async function benchRoute(request: Request, env: Env): Promise<Response | undefined> {
  const { pathname } = new URL(request.url);
  if (pathname === "/__bench/d1") return Response.json(totals);
  if (pathname === "/__bench/sql" && request.method === "POST") {
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
    const counter: Counter = { roundTrips: 0 };
    const response = await worker.fetch(request, countingEnv(env, counter), ctx);
    totals.fetch.roundTrips += counter.roundTrips;
    const counted = new Response(response.body, response);
    counted.headers.set("x-bench-d1", String(counter.roundTrips));
    return counted;
  },
  async queue(batch, env) {
    if (batch.queue === "pca-deliveries") {
      totals.queue.batches++;
      totals.queue.messages += batch.messages.length;
      return worker.queue(batch, countingEnv(env, totals.queue));
    }
    return worker.queue(batch, env);
  },
  scheduled: (controller, env) => worker.scheduled(controller, env),
} satisfies ExportedHandler<Env>;

export class WorkflowObject extends RealWorkflowObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, countingEnv(env, totals.durableObject));
  }
}

export { AutomationService };
