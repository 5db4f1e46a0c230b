// Events, read side. Writes go through src/events/publish.ts, the one publish path.
import { and, eq, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { events } from "../schema";
import { afterCursor, newestFirst, page } from "../../lib/pagination";

/** Newest first; with `type`, an index range scan on (org, type, created_at, id). */
export async function listEvents(db: Db, org: string, query: { type?: string; limit: number; cursor?: string }) {
  const conditions: (SQL | undefined)[] = [
    eq(events.org, org),
    query.type ? eq(events.type, query.type) : undefined,
    afterCursor(query.cursor, events),
  ];
  const rows = await db
    .select()
    .from(events)
    .where(and(...conditions))
    .orderBy(...newestFirst(events))
    .limit(query.limit + 1);
  return page(rows, query.limit);
}

export async function findEvent(db: Db, org: string, id: string) {
  const [row] = await db.select().from(events).where(and(eq(events.id, id), eq(events.org, org)));
  return row;
}
