// The two ways into the dashboard that take no token: exchanging a portal code, and (under
// ENVIRONMENT=development only) signing in as a local admin. Mounted ahead of `authenticate`.
import { createRoute, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { hashPortalCode } from "../auth/portal-code";
import { issueToken } from "../auth/session-token";
import { redeemPortalCode } from "../db/repositories/portal-codes";
import type { AppEnv } from "../env";
import { ApiError, notFound } from "../errors";
import { createRouter } from "../lib/router";
import { rateLimitByClient } from "../middleware/rate-limit";
import { errorResponses, json } from "../schemas/common";
import { devSignInSchema, exchangePortalCodeSchema, sessionSchema } from "../schemas/portal";

// No token, so no permission guard and no 403: each route declares its own answers, and the
// limit is per client address instead of per org.
const exchangeRoute = createRoute({
  method: "post",
  path: "/portal-access/exchange",
  operationId: "exchangePortalCode",
  tags: ["Dashboard"],
  summary: "Trade a portal link's code for a session token",
  description: "Each code works once, within 10 minutes of `POST /portal-access`. A used, expired or unknown code is the same 401. Takes no token.",
  security: [],
  middleware: [rateLimitByClient] as const,
  request: { body: { required: true, content: json(exchangePortalCodeSchema) } },
  responses: { 200: { description: "A session", content: json(sessionSchema) }, ...errorResponses(400, 401, 413, 415, 429, 500) },
});

// First in the development routes' middleware: outside development they answer 404 whatever
// the request holds, before the validator could answer a bad body 400 (telling that the route
// exists) and before the client's rate limit counts a request to a route that is not there.
const developmentOnly = createMiddleware<AppEnv>(async function developmentOnly(c, next) {
  if (!c.get("config").development) throw notFound("Route");
  await next();
});

const devSignInRoute = createRoute({
  method: "post",
  path: "/dev/sign-in",
  operationId: "devSignIn",
  tags: ["Dashboard"],
  summary: "Development only: a session for a local user",
  description:
    'Exists only under `ENVIRONMENT=development` (the dashboard\'s "Sign in as local admin"); 404 in every other environment. Takes no token.',
  security: [],
  middleware: [developmentOnly, rateLimitByClient] as const,
  request: { body: { required: true, content: json(devSignInSchema) } },
  responses: { 200: { description: "A session", content: json(sessionSchema) }, ...errorResponses(400, 404, 413, 415, 429, 500) },
});

const devSignInAvailableRoute = createRoute({
  method: "get",
  path: "/dev/sign-in",
  operationId: "devSignInAvailable",
  tags: ["Dashboard"],
  summary: "Whether the development sign-in exists here",
  description: "200 under `ENVIRONMENT=development`, 404 elsewhere; the dashboard shows its button from this. Takes no token.",
  security: [],
  middleware: [developmentOnly, rateLimitByClient] as const,
  responses: {
    200: { description: "Available", content: json(z.object({ available: z.literal(true) }).openapi("DevSignInAvailable")) },
    ...errorResponses(400, 404, 429, 500),
  },
});

const DEV_SESSION_SECONDS = 8 * 3600;

export const signInRoutes = () =>
  createRouter()
    .openapi(exchangeRoute, async (c) => {
      const now = new Date();
      const row = await redeemPortalCode(c.get("db"), await hashPortalCode(c.req.valid("json").code), now);
      // Unknown, used and expired codes look the same: the holder learns only "no".
      if (!row) throw new ApiError("unauthorized", "This sign-in link was already used or has expired; ask for a new one");
      return c.json(await issueToken(c.get("config").jwt, { org: row.org, sub: row.sub, role: row.role }, row.ttlSeconds, now), 200);
    })
    // developmentOnly (in each route's middleware) answers 404 outside development.
    .openapi(devSignInAvailableRoute, (c) => c.json({ available: true as const }, 200))
    .openapi(devSignInRoute, async (c) => c.json(await issueToken(c.get("config").jwt, c.req.valid("json"), DEV_SESSION_SECONDS, new Date()), 200));
