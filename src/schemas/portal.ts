// Dashboard sign-in: one-time portal links, their exchange, and the development sign-in.
import { z } from "@hono/zod-openapi";
import { ORG_PATTERN } from "../auth/jwt";
import { DASHBOARD_ROLES, ROLES } from "../auth/roles";
import { isoTime } from "./common";

const dashboardRole = z.enum(DASHBOARD_ROLES);

export const PORTAL_CODE_TTL_SECONDS = 600;

export const createPortalAccessSchema = z
  .strictObject({
    role: dashboardRole.default("admin"),
    sub: z.string().min(1).max(256).optional().openapi({ description: "Who signs in; default the caller's `sub`", example: "dr.jones" }),
    ttlSeconds: z.number().int().min(60).max(86_400).default(3600).openapi({ description: "Lifetime of the session token the link gives" }),
  })
  .openapi("CreatePortalAccess");

export const portalAccessSchema = z
  .object({
    url: z.url().openapi({ example: "https://automation.purplecross.example/portal#code=pc_3q2-7wK9yVbN1xZ0aF4eLmR8sT6uJ5hG2dC1pQ9oI0w" }),
    expiresAt: isoTime.openapi({ description: "The link must be opened before this time (10 minutes)" }),
  })
  .openapi("PortalAccess");

export const exchangePortalCodeSchema = z.strictObject({ code: z.string().min(1).max(128) }).openapi("ExchangePortalCode");

export const devSignInSchema = z
  .strictObject({
    org: z.string().regex(ORG_PATTERN).default("clinic-1"),
    role: dashboardRole.default("admin"),
    sub: z.string().min(1).max(256).default("local-admin"),
  })
  .openapi("DevSignIn");

export const sessionSchema = z
  .object({
    token: z.string().openapi({ description: "Bearer token for /api/v1; keep it out of URLs" }),
    expiresAt: isoTime,
    org: z.string(),
    role: z.enum(ROLES),
    sub: z.string(),
  })
  .openapi("Session");
