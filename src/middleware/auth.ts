import { createMiddleware } from "hono/factory";
import { verifyToken } from "../auth/jwt";
import { can, type Permission } from "../auth/roles";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";

/** One message for every failure, so the answer never tells which check a token failed. */
export const UNAUTHORIZED_MESSAGE = "Missing, invalid or expired bearer token";

/** Verifies the bearer token and stores the principal; the org comes from the token only. */
export const authenticate = createMiddleware<AppEnv>(async function authenticate(c, next) {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw new ApiError("unauthorized", UNAUTHORIZED_MESSAGE);
  const principal = await verifyToken(match[1], c.get("config").jwt);
  if (!principal) throw new ApiError("unauthorized", UNAUTHORIZED_MESSAGE);
  c.set("principal", principal);
  await next();
});

/** Route guard: 403 unless the caller's role grants the permission. */
export const requirePermission = (permission: Permission) =>
  createMiddleware<AppEnv>(async function requirePermission(c, next) {
    if (!can(c.get("principal").role, permission)) {
      throw new ApiError("forbidden", "Your role does not allow this action");
    }
    await next();
  });
