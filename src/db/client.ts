// The drizzle handle over D1, and the one way to run a list of statements as a transaction.
import type { BatchItem } from "drizzle-orm/batch";
import { drizzle } from "drizzle-orm/d1";

export type Db = ReturnType<typeof createDb>;

/** One statement of a D1 batch; repositories return these so callers can commit several together. */
export type Statement = BatchItem<"sqlite">;

/** D1 binds at most 100 parameters per statement; chunked `IN (…)` lists stay under it with room to spare. */
export const D1_MAX_PARAMS = 100;
export const D1_IN_LIST_CHUNK = 90;

/**
 * Called once per entry point (the HTTP middleware, the queue handler, the cron handler, the
 * Durable Object, the RPC entrypoint). Repositories take this `db`, never a Hono context.
 */
// No `{ schema }`: nothing uses the relational db.query API, and passing the schema makes
// drizzle rebuild its relation map on every createDb, i.e. on every request (npm run bench, P1).
export const createDb = (d1: D1Database) => drizzle(d1);

/** Runs the statements as one D1 batch (one transaction); nothing commits unless all do. */
export async function commit(db: Db, statements: readonly Statement[]): Promise<unknown[]> {
  const [first, ...rest] = statements;
  if (!first) return [];
  return db.batch([first, ...rest]);
}

/** `items` in slices of D1_IN_LIST_CHUNK, for statements that bind one parameter per item. */
export function* chunks<T>(items: readonly T[], size = D1_IN_LIST_CHUNK): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** True when D1 refused a statement for a foreign key (a child row whose parent is gone), however deeply wrapped. */
export const isForeignKeyViolation = (error: unknown): boolean => d1ErrorSays(error, /FOREIGN KEY constraint failed/i);

/** True when the message of `error`, or of an error it wraps, matches `pattern`. */
export function d1ErrorSays(error: unknown, pattern: RegExp): boolean {
  for (let e = error as { message?: string; cause?: unknown } | undefined, i = 0; e && i < 4; e = e.cause as typeof e, i++) {
    if (pattern.test(String(e.message))) return true;
  }
  return false;
}
