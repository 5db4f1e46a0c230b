// Puts `config` (parsed once per env, src/lib/config.ts) and `db` on the context. A bad var
// answers 500 bad_environment naming it, and logs it, on every request until it is fixed.
import { createMiddleware } from "hono/factory";
import { createDb } from "../db/client";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { ConfigError, configOf } from "../lib/config";
import { log } from "../lib/log";

export const provideContext = createMiddleware<AppEnv>(async function provideContext(c, next) {
  try {
    c.set("config", configOf(c.env));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    log("error", "bad environment", { variable: error.variable, problem: error.problem });
    throw new ApiError("bad_environment", `Invalid environment: ${error.message}`);
  }
  c.set("db", createDb(c.env.DB));
  await next();
});
