// Rate limiting through the Rate Limiting binding: per tenant (the token's org) for the API, and
// per client address for the few routes that take no token (the dashboard's sign-in).
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";

// The binding's window (`period` in wrangler.toml); a client waiting this long is sure to fit.
const RETRY_AFTER_SECONDS = 60;

// Methods that change nothing: their handler may run while the limiter is still answering.
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const rateLimited = (who: string) =>
  new ApiError("rate_limited", `Too many requests for this ${who}; slow down`, undefined, {
    "Retry-After": String(RETRY_AFTER_SECONDS),
  });

/**
 * A request that may change something waits for the limiter's verdict before its handler
 * runs. A safe one starts the limiter and its handler together (the limiter call would
 * otherwise add its whole latency to every read) and is answered 429 afterwards when over the
 * limit: its handler had no effect, and the caller never sees what it read.
 */
const rateLimitBy = (who: string, keyOf: (c: Context<AppEnv>) => string) =>
  createMiddleware<AppEnv>(async function rateLimit(c, next) {
    const verdict = c.env.RATE_LIMITER.limit({ key: keyOf(c) });
    if (!SAFE_METHODS.has(c.req.method)) {
      if (!(await verdict).success) throw rateLimited(who);
      return next();
    }
    // Handled now, so a limiter failure while the handler runs is not an unhandled rejection;
    // awaiting it below still throws it.
    verdict.catch(() => undefined);
    await next();
    if (!(await verdict).success) throw rateLimited(who);
  });

export const rateLimitByOrg = rateLimitBy("organisation", (c) => `org:${c.get("principal").org}`);

/** For routes without a token: Cloudflare's client address (one shared key under `wrangler dev`). */
export const rateLimitByClient = rateLimitBy("client", (c) => `ip:${c.req.header("cf-connecting-ip") ?? "local"}`);
