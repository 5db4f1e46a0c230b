// Workflow queries. Reads are org-scoped index range scans; writes are statement lists that
// the caller runs in one db.batch, so a workflow, its history, its stats counters and its
// event rows always commit together or not at all.
import { and, asc, eq, gt, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { validationError } from "../../errors";
import { afterCursor, newestFirst, page } from "../../lib/pagination";
import type { HistoryRow, WorkflowRow } from "../../workflows/present";
import type { Db } from "../client";
import { workflowHistory, workflows, workflowStats, type WorkflowStatus } from "../schema";

export async function findWorkflow(db: Db, org: string, id: string): Promise<WorkflowRow | undefined> {
  return db.query.workflows.findFirst({ where: and(eq(workflows.id, id), eq(workflows.org, org)) });
}

export interface WorkflowFilter {
  status?: WorkflowStatus;
  documentId?: string;
  limit: number;
  cursor?: string;
}

/** Newest first, keyset-paged; each filter matches an (org, …, created_at, id) index. */
export async function listWorkflows(db: Db, org: string, filter: WorkflowFilter) {
  return page(await listWorkflowsQuery(db, org, filter), filter.limit);
}

/** The query itself, exported so a test can check its plan uses the indexes. */
export function listWorkflowsQuery(db: Db, org: string, filter: WorkflowFilter) {
  const conditions: (SQL | undefined)[] = [
    eq(workflows.org, org),
    filter.status ? eq(workflows.status, filter.status) : undefined,
    filter.documentId ? eq(workflows.documentId, filter.documentId) : undefined,
    afterCursor(filter.cursor, workflows),
  ];
  return db
    .select()
    .from(workflows)
    .where(and(...conditions))
    .orderBy(...newestFirst(workflows))
    .limit(filter.limit + 1);
}

/** The counters only: at most four rows, however many workflows the org has. */
export async function readStats(db: Db, org: string) {
  const rows = await db.select().from(workflowStats).where(eq(workflowStats.org, org));
  const byStatus = { in_progress: 0, completed: 0, cancelled: 0, failed: 0 };
  for (const row of rows) byStatus[row.status] = row.count;
  return { total: Object.values(byStatus).reduce((a, b) => a + b, 0), byStatus };
}

// History is read oldest first by version; its cursor is the last version returned.
const encodeVersion = (version: number) => btoa(`v${version}`).replace(/=+$/, "");
function decodeVersion(cursor: string): number {
  let decoded = "";
  try {
    decoded = atob(cursor);
  } catch {
    // reported below
  }
  const match = /^v(\d{1,9})$/.exec(decoded);
  if (!match) throw validationError("Invalid cursor", [{ path: "cursor", message: "not a cursor this API issued" }]);
  return Number(match[1]);
}

export async function listHistory(db: Db, org: string, workflowId: string, options: { limit: number; cursor?: string }) {
  const after = options.cursor ? decodeVersion(options.cursor) : 0;
  const rows = await db
    .select()
    .from(workflowHistory)
    .where(and(eq(workflowHistory.workflowId, workflowId), eq(workflowHistory.org, org), gt(workflowHistory.version, after)))
    .orderBy(asc(workflowHistory.version))
    .limit(options.limit + 1);
  const data = rows.slice(0, options.limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > options.limit && last ? encodeVersion(last.version) : null };
}

/** Move one workflow in or out of a status counter (upsert, so the first one creates the row). */
function countStatus(db: Db, org: string, status: WorkflowStatus, delta: 1 | -1): BatchItem<"sqlite"> {
  return db
    .insert(workflowStats)
    .values({ org, status, count: delta })
    .onConflictDoUpdate({
      target: [workflowStats.org, workflowStats.status],
      set: { count: sql`${workflowStats.count} + ${delta}` },
    });
}

/** A new workflow: its row, its "created" history row and the in_progress counter. */
export function insertWorkflow(db: Db, row: WorkflowRow, created: HistoryRow): BatchItem<"sqlite">[] {
  return [db.insert(workflows).values(row), db.insert(workflowHistory).values(created), countStatus(db, row.org, row.status, 1)];
}

/**
 * A change's statements. The UPDATE is guarded by the version the change was computed from.
 * The history insert right after it writes NULL into the NOT NULL `at` column unless that
 * UPDATE changed exactly one row (`changes()` still reports the previous statement while an
 * INSERT … SELECT runs), so a stale change fails the whole batch: D1 batches are transactions,
 * and nothing after it — counters, event, deliveries — commits either.
 */
export function changeWorkflow(db: Db, before: WorkflowRow, after: WorkflowRow, change: HistoryRow): BatchItem<"sqlite">[] {
  const statements: BatchItem<"sqlite">[] = [
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
      .where(and(eq(workflows.id, before.id), eq(workflows.org, before.org), eq(workflows.version, before.version))),
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
  const row = await db
    .select({ version: workflows.version })
    .from(workflows)
    .where(and(eq(workflows.id, id), eq(workflows.org, org)))
    .get();
  return row?.version;
}
