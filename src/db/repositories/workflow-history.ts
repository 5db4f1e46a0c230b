// Table workflow_history: one row per successful change, read oldest first by version.
// Rows are written by workflows.ts, in the same batch as the change they record.
import { and, asc, eq, gt } from "drizzle-orm";
import { encodeVersionCursor, type Page } from "../../lib/pagination";
import type { Db } from "../client";
import { type HistoryRow, workflowHistory } from "../schema";

/** `afterVersion` is the decoded cursor (0 for the first page). */
export async function listHistory(
  db: Db,
  org: string,
  workflowId: string,
  page: { limit: number; afterVersion?: number },
): Promise<Page<HistoryRow>> {
  const rows = await db
    .select()
    .from(workflowHistory)
    .where(and(eq(workflowHistory.workflowId, workflowId), eq(workflowHistory.org, org), gt(workflowHistory.version, page.afterVersion ?? 0)))
    .orderBy(asc(workflowHistory.version))
    .limit(page.limit + 1);
  const data = rows.slice(0, page.limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > page.limit && last ? encodeVersionCursor(last.version) : null };
}
