// Per-tenant rate limiting through the Rate Limiting binding, keyed by the token's org.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";

// The binding's window (`period` in wrangler.toml); a client waiting this long is sure to fit.
const RETRY_AFTER_SECONDS = 60;

// Methods that change nothing: their handler may run while the limiter is still answering.
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const rateLimited = () =>
  new ApiError("rate_limited", "Too many requests for this organisation; slow down", undefined, {
    "Retry-After": String(RETRY_AFTER_SECONDS),
  });

/**
 * A request that may change something waits for the limiter's verdict before its handler
 * runs. A safe one starts the limiter and its handler together (the limiter call would
 * otherwise add its whole latency to every read) and is answered 429 afterwards when over the
 * limit: its handler had no effect, and the caller never sees what it read.
 */
export const rateLimitByOrg = createMiddleware<AppEnv>(async function rateLimitByOrg(c, next) {
  const verdict = c.env.RATE_LIMITER.limit({ key: `org:${c.get("principal").org}` });
  if (!SAFE_METHODS.has(c.req.method)) {
    if (!(await verdict).success) throw rateLimited();
    return next();
  }
  // Handled now, so a limiter failure while the handler runs is not an unhandled rejection;
  // awaiting it below still throws it.
  verdict.catch(() => undefined);
  await next();
  if (!(await verdict).success) throw rateLimited();
});
