// Table workflows. Reads are org-scoped index range scans; writes are statement lists that the
// caller commits in one batch, so a workflow, its history, its stats counters and its event
// rows always commit together or not at all.
import { and, eq, sql } from "drizzle-orm";
import { keysetQuery, listPage, type Page, type PageQuery } from "../../lib/pagination";
import type { Db, Statement } from "../client";
import { type HistoryRow, type WorkflowRow, type WorkflowStatus, workflowHistory, workflows } from "../schema";
import { countStatus } from "./workflow-stats";

const byId = (org: string, id: string) => and(eq(workflows.id, id), eq(workflows.org, org));

export async function findWorkflow(db: Db, org: string, id: string): Promise<WorkflowRow | undefined> {
  const [row] = await db.select().from(workflows).where(byId(org, id));
  return row;
}

export interface WorkflowFilter extends PageQuery {
  status?: WorkflowStatus;
  documentId?: string;
}

const filterConditions = (org: string, filter: WorkflowFilter) => [
  eq(workflows.org, org),
  filter.status ? eq(workflows.status, filter.status) : undefined,
  filter.documentId ? eq(workflows.documentId, filter.documentId) : undefined,
];

/** Newest first, keyset-paged; each filter matches an (org, …, created_at, id) index. */
export const listWorkflows = (db: Db, org: string, filter: WorkflowFilter): Promise<Page<WorkflowRow>> =>
  listPage(db.select().from(workflows).$dynamic(), workflows, filterConditions(org, filter), filter);

/** The list's query itself, so a test can check its plan uses the indexes. */
export const listWorkflowsQuery = (db: Db, org: string, filter: WorkflowFilter) =>
  keysetQuery(db.select().from(workflows).$dynamic(), workflows, filterConditions(org, filter), filter);

/** A new workflow: its row, its "created" history row and the in_progress counter. */
export function insertWorkflow(db: Db, row: WorkflowRow, created: HistoryRow): Statement[] {
  return [db.insert(workflows).values(row), db.insert(workflowHistory).values(created), countStatus(db, row.org, row.status, 1)];
}

/**
 * A change's statements. The UPDATE is guarded by the version the change was computed from.
 * The history insert right after it writes NULL into the NOT NULL `at` column unless that
 * UPDATE changed exactly one row (`changes()` still reports the previous statement while an
 * INSERT … SELECT runs), so a stale change fails the whole batch: D1 batches are transactions,
 * and nothing after it — counters, event, deliveries — commits either.
 */
export function changeWorkflow(db: Db, before: WorkflowRow, after: WorkflowRow, change: HistoryRow): Statement[] {
  const statements: Statement[] = [
    db
      .update(workflows)
      .set({
        workflowType: after.workflowType,
        assignedTo: after.assignedTo,
        metadata: after.metadata,
        status: after.status,
        currentStep: after.currentStep,
        version: after.version,
        updatedAt: after.updatedAt,
        completedAt: after.completedAt,
        engine: after.engine,
      })
      .where(and(byId(before.org, before.id), eq(workflows.version, before.version))),
    // Columns in table order, as drizzle lists them for INSERT … SELECT.
    db.insert(workflowHistory).select(
      sql`SELECT ${change.workflowId}, ${change.version}, ${change.org}, ${change.action}, ${change.fromStep}, ${change.toStep},
                 ${change.actor}, ${change.comment}, CASE WHEN changes() = 1 THEN ${change.at.getTime()} END, ${change.step}`,
    ),
  ];
  if (after.status !== before.status) {
    statements.push(countStatus(db, before.org, before.status, -1), countStatus(db, before.org, after.status, 1));
  }
  return statements;
}

/** The stored version, to tell a stale change (another writer moved it) from any other failure. */
export async function currentVersion(db: Db, org: string, id: string): Promise<number | undefined> {
  const [row] = await db.select({ version: workflows.version }).from(workflows).where(byId(org, id));
  return row?.version;
}
