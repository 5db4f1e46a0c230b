// Table workflow_waits: which instance waits for which event type, so publish finds the
// objects to wake with one index lookup. Rows come and go with the wait steps they mirror.
import { and, eq } from "drizzle-orm";
import type { Effect } from "../../engine/state";
import type { Db } from "../client";
import { workflowWaits } from "../schema";

export function startWaiting(db: Db, org: string, workflowId: string, effect: Extract<Effect, { kind: "waitFor" }>, now: Date) {
  return db.insert(workflowWaits).values({ workflowId, waitKey: effect.key, org, eventType: effect.type, createdAt: now }).onConflictDoNothing();
}

export function stopWaiting(db: Db, workflowId: string, key: string) {
  return db.delete(workflowWaits).where(and(eq(workflowWaits.workflowId, workflowId), eq(workflowWaits.waitKey, key)));
}

/** Instances of the org waiting for `type`. */
export async function findWaitingWorkflows(db: Db, org: string, type: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: workflowWaits.workflowId })
    .from(workflowWaits)
    .where(and(eq(workflowWaits.org, org), eq(workflowWaits.eventType, type)));
  return rows.map((r) => r.id);
}
