// Puts `config` (parsed once per env, src/lib/config.ts) and `db` (in a D1 session, see
// db/session.ts) on the context. A bad var answers 500 bad_environment naming it, and logs
// it, on every request until it is fixed.
import { createMiddleware } from "hono/factory";
import { BOOKMARK_HEADER, openSession, sessionDb } from "../db/session";
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
  const session = openSession(c.env.DB, c.req.method, c.req.header(BOOKMARK_HEADER));
  c.set("db", sessionDb(session));
  await next();
  const bookmark = session.getBookmark();
  if (bookmark) c.header(BOOKMARK_HEADER, bookmark);
});
