// Per-tenant rate limiting through the Rate Limiting binding, keyed by the token's org.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";

// The binding's window (`period` in wrangler.toml); a client waiting this long is sure to fit.
const RETRY_AFTER_SECONDS = 60;

export const rateLimitByOrg = createMiddleware<AppEnv>(async function rateLimitByOrg(c, next) {
  const { success } = await c.env.RATE_LIMITER.limit({ key: `org:${c.get("principal").org}` });
  if (!success) {
    throw new ApiError("rate_limited", "Too many requests for this organisation; slow down", undefined, {
      "Retry-After": String(RETRY_AFTER_SECONDS),
    });
  }
  await next();
});
