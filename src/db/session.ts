// D1 Sessions: each API request runs its queries in one session, so production reads can be
// served by read replicas once read replication is enabled on the database (docs/DEPLOY.md);
// until then every session is served by the primary and nothing changes.
//
//   - A read (GET/HEAD) starts "first-unconstrained": whichever copy is nearest may answer,
//     possibly a replica a moment behind the primary.
//   - Any other request starts "first-primary", so what it reads before writing is current.
//   - A client that sends back the `x-d1-bookmark` of an earlier response is answered from a
//     copy at least as new as that response: read-your-writes and monotonic reads on request.
//   - Every response that queried D1 carries the session's bookmark in `x-d1-bookmark`.
// The workflow Durable Object, the queue consumer and the cron use the binding directly:
// they write, and their reads must see the primary.
import { validationError } from "../errors";
import { createDb, type Db } from "./client";

export const BOOKMARK_HEADER = "x-d1-bookmark";

// The shape D1 issues (four hex groups); anything else is refused before it reaches D1.
const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/i;

const SAFE = new Set(["GET", "HEAD"]);

export function openSession(d1: D1Database, method: string, bookmark: string | undefined): D1DatabaseSession {
  if (bookmark !== undefined && !BOOKMARK.test(bookmark)) {
    throw validationError(`Invalid ${BOOKMARK_HEADER}`, [{ path: BOOKMARK_HEADER, message: "send back a value this API returned" }]);
  }
  return d1.withSession(bookmark ?? (SAFE.has(method) ? "first-unconstrained" : "first-primary"));
}

/**
 * drizzle over a session. drizzle types its client as a D1Database but uses only prepare()
 * and batch(), which a session has (drizzle-orm issue 4522 tracks native support).
 */
export const sessionDb = (session: D1DatabaseSession): Db => createDb(session as unknown as D1Database);
