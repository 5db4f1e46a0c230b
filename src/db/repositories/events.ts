// Table events. Writes go through src/events/publish.ts, the one publish path; the cron sweep
// purges rows past retention (their deliveries and attempt logs go with them).
import { and, asc, eq, inArray, lt } from "drizzle-orm";
import { listPage, type Page, type PageQuery } from "../../lib/pagination";
import { D1_IN_LIST_CHUNK, type Db, type Statement } from "../client";
import { type EventRow, events, type NewEventRow } from "../schema";

export const insertEvent = (db: Db, event: NewEventRow): Statement => db.insert(events).values(event);

/** Newest first; with `type`, an index range scan on (org, type, created_at, id). */
export const listEvents = (db: Db, org: string, filter: PageQuery & { type?: string }): Promise<Page<EventRow>> =>
  listPage(db.select().from(events).$dynamic(), events, [eq(events.org, org), filter.type ? eq(events.type, filter.type) : undefined], filter);

export async function findEvent(db: Db, org: string, id: string): Promise<EventRow | undefined> {
  const [row] = await db
    .select()
    .from(events)
    .where(and(eq(events.id, id), eq(events.org, org)));
  return row;
}

/**
 * For the cron sweep, across orgs: deletes up to `limit` events created before `cutoff`; their
 * deliveries and attempt logs go with them (ON DELETE CASCADE). Returns how many events went,
 * so the caller can loop.
 */
export async function purgeEventsBefore(db: Db, cutoff: Date, limit: number): Promise<number> {
  const oldest = db
    .select({ id: events.id })
    .from(events)
    .where(lt(events.createdAt, cutoff))
    .orderBy(asc(events.createdAt))
    .limit(Math.min(limit, D1_IN_LIST_CHUNK));
  // RETURNING counts the events themselves, never the rows the cascade removed with them.
  const gone = await db.delete(events).where(inArray(events.id, oldest)).returning({ id: events.id });
  return gone.length;
}
