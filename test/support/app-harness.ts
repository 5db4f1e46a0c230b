// A test-only app: the production createApp() plus routes that exist only here (a strict JSON
// route, an admin-only route and a route that throws), called with app.request and the test run's real bindings.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { createRoute, z } from "@hono/zod-openapi";
import { createApp } from "../../src/app";
import { createRouter } from "../../src/lib/router";
import { requirePermission } from "../../src/middleware/auth";

const echoBody = z.strictObject({
  name: z.string().min(1).max(100),
  count: z.number().int().min(0).max(10).optional(),
  tags: z.array(z.string().max(20)).max(3).optional(),
});

const echoRoute = createRoute({
  method: "post",
  path: "/",
  middleware: [requirePermission("read")] as const,
  request: { body: { required: true, content: { "application/json": { schema: echoBody } } } },
  responses: { 200: { description: "The validated body", content: { "application/json": { schema: echoBody } } } },
});

export const LEAKY_MESSAGE = "D1_ERROR: no such column: secret_ciphertext: SELECT * FROM webhooks WHERE org = 'x'";

export function testApp() {
  const app = createApp();
  app.route(
    "/api/v1/test-echo",
    createRouter().openapi(echoRoute, (c) => c.json(c.req.valid("json"), 200)),
  );
  app.get("/api/v1/test-admin-only", requirePermission("webhook:manage"), (c) => c.json({ ok: true }));
  app.get("/api/v1/test-throw", () => {
    throw new Error(LEAKY_MESSAGE);
  });
  app.get("/test-throw-public", () => {
    throw new TypeError(LEAKY_MESSAGE);
  });
  return app;
}

export async function request(app: ReturnType<typeof testApp>, path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const res = await app.request(`https://automation.test${path}`, init, env, ctx);
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
