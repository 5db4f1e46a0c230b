// POST /portal-access: a one-time link that signs its holder into the dashboard for the
// caller's org. The link carries a code, not a token; /portal-access/exchange (sign-in.ts)
// trades it once for a session token.
import { hashPortalCode, newPortalCode } from "../auth/portal-code";
import { insertPortalCode } from "../db/repositories/portal-codes";
import { apiRoute } from "../lib/route";
import { createRouter } from "../lib/router";
import { iso, json } from "../schemas/common";
import { createPortalAccessSchema, PORTAL_CODE_TTL_SECONDS, portalAccessSchema } from "../schemas/portal";

const createPortalAccessRoute = apiRoute({
  method: "post",
  path: "/",
  operationId: "createPortalAccess",
  tag: "Dashboard",
  summary: "A one-time dashboard sign-in link for this org (open it within 10 minutes, once)",
  permission: "portal:grant",
  request: { body: { required: true, content: json(createPortalAccessSchema) } },
  responses: { 201: { description: "The link", content: json(portalAccessSchema) } },
});

export const portalAccessRoute = () =>
  createRouter().openapi(createPortalAccessRoute, async (c) => {
    const body = c.req.valid("json");
    const principal = c.get("principal");
    const code = newPortalCode();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + PORTAL_CODE_TTL_SECONDS * 1000);
    await insertPortalCode(c.get("db"), {
      codeHash: await hashPortalCode(code),
      org: principal.org,
      sub: body.sub ?? principal.sub,
      role: body.role,
      ttlSeconds: body.ttlSeconds,
      createdBy: principal.sub,
      createdAt: now,
      expiresAt,
    });
    // In the fragment, so the code never reaches a server log or a Referer header.
    const url = `${new URL(c.req.url).origin}/portal#code=${code}`;
    return c.json({ url, expiresAt: iso(expiresAt) }, 201);
  });
