// The two ways into the dashboard that take no token: exchanging a portal code, and (under
// ENVIRONMENT=development only) signing in as a local admin. Mounted ahead of `authenticate`.
import { createRoute, z } from "@hono/zod-openapi";
import { hashPortalCode } from "../auth/portal-code";
import { issueToken } from "../auth/session-token";
import { redeemPortalCode } from "../db/repositories/portal-codes";
import { ApiError, notFound } from "../errors";
import { createRouter } from "../lib/router";
import { errorResponses, json } from "../schemas/common";
import { devSignInSchema, exchangePortalCodeSchema, sessionSchema } from "../schemas/portal";

const exchangeRoute = createRoute({
  method: "post",
  path: "/portal-access/exchange",
  tags: ["Dashboard"],
  summary: "Trade a portal link's code for a session token; each code works once, within 10 minutes",
  security: [],
  request: { body: { required: true, content: json(exchangePortalCodeSchema) } },
  responses: { 200: { description: "A session", content: json(sessionSchema) }, ...errorResponses(400) },
});

const devSignInRoute = createRoute({
  method: "post",
  path: "/dev/sign-in",
  tags: ["Dashboard"],
  summary: "Development only (ENVIRONMENT=development): a session for a local user; 404 elsewhere",
  security: [],
  request: { body: { required: true, content: json(devSignInSchema) } },
  responses: { 200: { description: "A session", content: json(sessionSchema) }, ...errorResponses(400, 404) },
});

const devSignInAvailableRoute = createRoute({
  method: "get",
  path: "/dev/sign-in",
  tags: ["Dashboard"],
  summary: "Whether the development sign-in exists here: 200 under ENVIRONMENT=development, 404 elsewhere",
  security: [],
  responses: {
    200: { description: "Available", content: json(z.object({ available: z.literal(true) }).openapi("DevSignInAvailable")) },
    ...errorResponses(404),
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
    .openapi(devSignInAvailableRoute, (c) => {
      if (!c.get("config").development) throw notFound("Route");
      return c.json({ available: true as const }, 200);
    })
    .openapi(devSignInRoute, async (c) => {
      if (!c.get("config").development) throw notFound("Route");
      return c.json(await issueToken(c.get("config").jwt, c.req.valid("json"), DEV_SESSION_SECONDS, new Date()), 200);
    });
