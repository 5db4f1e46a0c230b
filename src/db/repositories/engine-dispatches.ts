// Table engine_dispatches: the outbox of the engine's share of a published event (trigger
// starts and wake-ups). The row commits with the event; the queue message carries the event
// id; the row is deleted once dispatched, and the cron sweep re-enqueues rows left behind.
import { and, eq, lt } from "drizzle-orm";
import type { Db, Statement } from "../client";
import { engineDispatches, templateTriggers, workflowWaits } from "../schema";

/** Does any live trigger or waiting instance of the org care about `type`? Two index probes. */
export async function engineWants(db: Db, org: string, type: string): Promise<boolean> {
  const [trigger] = await db
    .select({ key: templateTriggers.key })
    .from(templateTriggers)
    .where(and(eq(templateTriggers.org, org), eq(templateTriggers.eventType, type)))
    .limit(1);
  if (trigger) return true;
  const [wait] = await db
    .select({ id: workflowWaits.workflowId })
    .from(workflowWaits)
    .where(and(eq(workflowWaits.org, org), eq(workflowWaits.eventType, type)))
    .limit(1);
  return wait !== undefined;
}

export const insertDispatch = (db: Db, row: { eventId: string; org: string; createdAt: Date }): Statement =>
  db.insert(engineDispatches).values(row).onConflictDoNothing();

export async function deleteDispatch(db: Db, eventId: string): Promise<void> {
  await db.delete(engineDispatches).where(eq(engineDispatches.eventId, eventId));
}

/** Dispatches older than `before`: their message was lost or their run failed. */
export async function findStaleDispatches(db: Db, before: Date, limit: number) {
  return db.select().from(engineDispatches).where(lt(engineDispatches.createdAt, before)).limit(limit);
}
