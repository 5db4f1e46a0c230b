// Table workflow_stats: per-org, per-status counters, moved in the same batch as each workflow
// change, so `stats` reads at most four rows however many workflows an org has.
import { eq, sql } from "drizzle-orm";
import type { Db, Statement } from "../client";
import { WORKFLOW_STATUSES, type WorkflowStatus, workflowStats } from "../schema";

/** Move one workflow in or out of a status counter (upsert, so the first one creates the row). */
export function countStatus(db: Db, org: string, status: WorkflowStatus, delta: 1 | -1): Statement {
  return db
    .insert(workflowStats)
    .values({ org, status, count: delta })
    .onConflictDoUpdate({
      target: [workflowStats.org, workflowStats.status],
      set: { count: sql`${workflowStats.count} + ${delta}` },
    });
}

export async function readStats(db: Db, org: string) {
  const rows = await db.select().from(workflowStats).where(eq(workflowStats.org, org));
  const byStatus = Object.fromEntries(WORKFLOW_STATUSES.map((s) => [s, 0])) as Record<WorkflowStatus, number>;
  for (const row of rows) byStatus[row.status] = row.count;
  return { total: Object.values(byStatus).reduce((a, b) => a + b, 0), byStatus };
}
