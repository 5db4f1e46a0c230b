// Table engine_dispatches: the outbox of the engine's share of a published event (trigger
// starts and wake-ups). The row commits with the event; the queue message carries the event
// id; the row is deleted once dispatched, and the cron sweep re-enqueues rows left behind.
import { eq, lt, sql } from "drizzle-orm";
import type { Db, Statement } from "../client";
import { engineDispatches, templateTriggers, workflowWaits } from "../schema";

/**
 * The dispatch row, inserted only when a live trigger or a waiting instance of the org cares
 * about `type`. Decided inside the batch (INSERT … SELECT … WHERE EXISTS), so publishing costs
 * no extra D1 round trip; the statement's `changes` tells the caller whether to enqueue.
 */
export function insertDispatchIfWanted(db: Db, row: { eventId: string; org: string; type: string; createdAt: Date; depth: number }): Statement {
  return db
    .insert(engineDispatches)
    .select(
      sql`SELECT ${row.eventId}, ${row.org}, ${row.createdAt.getTime()}, ${row.depth}
          WHERE EXISTS (SELECT 1 FROM ${templateTriggers} WHERE ${templateTriggers.org} = ${row.org} AND ${templateTriggers.eventType} = ${row.type})
             OR EXISTS (SELECT 1 FROM ${workflowWaits} WHERE ${workflowWaits.org} = ${row.org} AND ${workflowWaits.eventType} = ${row.type})`,
    )
    .onConflictDoNothing();
}

/** The dispatch row's trigger depth, or undefined when the row is gone (the dispatch was done). */
export async function dispatchDepth(db: Db, eventId: string): Promise<number | undefined> {
  const [row] = await db.select({ depth: engineDispatches.depth }).from(engineDispatches).where(eq(engineDispatches.eventId, eventId));
  return row?.depth;
}

export async function deleteDispatch(db: Db, eventId: string): Promise<void> {
  await db.delete(engineDispatches).where(eq(engineDispatches.eventId, eventId));
}

/** Dispatches older than `before`: their message was lost or their run failed. */
export async function findStaleDispatches(db: Db, before: Date, limit: number) {
  return db.select().from(engineDispatches).where(lt(engineDispatches.createdAt, before)).limit(limit);
}
