// The runtime's floor: a bare module Worker (no framework, no auth, no ORM) doing the same
// platform work as the product's hot paths, run by `npm run bench` under the product's
// wrangler settings (copied from wrangler.toml at start: compatibility date and flags, queue
// consumer, observability, static assets). Its routes sit under /api/ because, as in the
// product, only /api/* reaches the Worker before the static assets. Its rate limiter and
// Durable Object serve only the runtime's prices (bench/harness/runtime.mjs).
//   GET  /api/floor/read/:org/:id     the same single-row D1 read as GET /api/v1/workflows/:id
//   POST /api/floor/advance/:org/:id  a plain D1 UPDATE, the least an advance can write
//   POST /api/floor/publish           enqueues one message per URL; the consumer below only fetches
//   POST /api/__bench/sql             runs statements in one D1 batch (seeding; the runtime's prices)
//   POST /api/floor/noop              answers from memory (the runtime's price of a request)
//   POST /api/floor/limit/:key        one call of the rate-limit binding (the product's, as configured)
//   POST /api/floor/object/:name      one call of a Durable Object that answers at once
import { DurableObject } from "cloudflare:workers";

interface FloorEnv {
  DB: D1Database;
  FLOOR_QUEUE: Queue<FloorMessage>;
  RATE_LIMITER: RateLimit;
  FLOOR_OBJECT: DurableObjectNamespace<FloorObject>;
}

export class FloorObject extends DurableObject<FloorEnv> {
  ping(): number {
    return 1;
  }
}

interface FloorMessage {
  url: string;
  id: string;
  body: string;
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    const [, , , route, org, id] = pathname.split("/"); // "", "api", "floor", route, …
    if (route === "read" && org && id) {
      const row = await env.DB.prepare("SELECT * FROM workflows WHERE id = ? AND org = ?").bind(id, org).first();
      return row ? Response.json(row) : Response.json({ error: "not found" }, { status: 404 });
    }
    if (route === "advance" && org && id && request.method === "POST") {
      const result = await env.DB.prepare(
        "UPDATE workflows SET current_step = current_step + 1, version = version + 1, updated_at = ? WHERE id = ? AND org = ?",
      )
        .bind(Date.now(), id, org)
        .run();
      return Response.json({ changed: result.meta.changes });
    }
    if (route === "publish" && request.method === "POST") {
      const { id, urls, data } = (await request.json()) as { id: string; urls: string[]; data: unknown };
      const body = JSON.stringify({ id, data });
      await env.FLOOR_QUEUE.sendBatch(urls.map((url) => ({ body: { url, id, body } })));
      return Response.json({ id }, { status: 202 });
    }
    if (route === "noop") return Response.json({ ok: true });
    if (route === "limit" && org) return Response.json(await env.RATE_LIMITER.limit({ key: org }));
    if (route === "object" && org) return Response.json(await env.FLOOR_OBJECT.get(env.FLOOR_OBJECT.idFromName(org)).ping());
    if (pathname === "/api/__bench/sql" && request.method === "POST") {
      const { statements } = (await request.json()) as { statements: string[] };
      await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
      return Response.json({ ok: true });
    }
    return Response.json({ error: "no route" }, { status: 404 });
  },

  // Every message of the batch at once: the fetch is all there is.
  async queue(batch, _env) {
    await Promise.all(
      batch.messages.map(async (message) => {
        const { url, id, body } = message.body;
        const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "webhook-id": id }, body });
        await res.body?.cancel();
        message.ack();
      }),
    );
  },
} satisfies ExportedHandler<FloorEnv, FloorMessage>;
