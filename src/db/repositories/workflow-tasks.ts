// Task, wait and email rows of template instances. Writes are statements for the workflow
// object's one batch; reads are org-scoped index range scans.
import { and, eq, isNotNull, isNull, lt, or, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Role } from "../../auth/roles";
import type { Effect, TaskState } from "../../engine/state";
import { listPage, type PageQuery } from "../../lib/pagination";
import type { Db } from "../client";
import { workflowEmails, workflowTasks, workflowWaits, type TaskStatus } from "../schema";

export type TaskRow = typeof workflowTasks.$inferSelect;

const date = (iso: string | null) => (iso ? new Date(iso) : null);

/** Insert or update one task with its latest state. */
export function saveTask(db: Db, org: string, workflowId: string, task: TaskState): BatchItem<"sqlite"> {
  const row: TaskRow = {
    id: task.id,
    org,
    workflowId,
    step: task.step,
    title: task.title,
    assignee: task.assignee,
    assigneeRole: "role" in task.assignee ? task.assignee.role : null,
    assigneeUser: "user" in task.assignee ? task.assignee.user : null,
    approvalsRequired: task.approvalsRequired,
    outcomes: task.outcomes,
    answers: task.answers,
    status: task.status,
    outcome: task.outcome,
    dueAt: date(task.dueAt),
    overdue: task.overdue,
    createdAt: new Date(task.createdAt),
    completedAt: date(task.completedAt),
  };
  const { id: _id, org: _org, workflowId: _wf, createdAt: _created, ...changes } = row;
  return db.insert(workflowTasks).values(row).onConflictDoUpdate({ target: workflowTasks.id, set: changes });
}

export function startWaiting(db: Db, org: string, workflowId: string, effect: Extract<Effect, { kind: "waitFor" }>, now: Date) {
  return db.insert(workflowWaits).values({ workflowId, waitKey: effect.key, org, eventType: effect.type, createdAt: now }).onConflictDoNothing();
}

export function stopWaiting(db: Db, workflowId: string, key: string) {
  return db.delete(workflowWaits).where(and(eq(workflowWaits.workflowId, workflowId), eq(workflowWaits.waitKey, key)));
}

/** The email's row; its key is (instance, step, visit), so a replayed step adds nothing. */
export function queueEmail(db: Db, org: string, workflowId: string, effect: Extract<Effect, { kind: "email" }>, now: Date) {
  return db
    .insert(workflowEmails)
    .values({ key: effect.key, org, workflowId, to: effect.to, subject: effect.subject, text: effect.text, createdAt: now })
    .onConflictDoNothing();
}

export async function findUnsentEmail(db: Db, key: string) {
  const [row] = await db.select().from(workflowEmails).where(eq(workflowEmails.key, key));
  return row && !row.sentAt ? row : undefined;
}

/** Emails still unsent that were queued before `before` (their send failed): the sweep retries them. */
export async function findUnsentEmailKeys(db: Db, before: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ key: workflowEmails.key })
    .from(workflowEmails)
    .where(and(isNull(workflowEmails.sentAt), lt(workflowEmails.createdAt, before)))
    .limit(limit);
  return rows.map((r) => r.key);
}

export async function markEmailSent(db: Db, key: string, messageId: string, now: Date) {
  await db.update(workflowEmails).set({ sentAt: now, messageId }).where(eq(workflowEmails.key, key));
}

/** Instances of the org waiting for `type`. */
export async function findWaitingWorkflows(db: Db, org: string, type: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: workflowWaits.workflowId })
    .from(workflowWaits)
    .where(and(eq(workflowWaits.org, org), eq(workflowWaits.eventType, type)));
  return rows.map((r) => r.id);
}

export async function findTask(db: Db, org: string, id: string) {
  const [row] = await db
    .select()
    .from(workflowTasks)
    .where(and(eq(workflowTasks.id, id), eq(workflowTasks.org, org)));
  return row;
}

export interface TaskFilter extends PageQuery {
  status?: TaskStatus;
  workflowId?: string;
  /** Only tasks this caller may complete. */
  mine?: { sub: string; role: Role };
}

export async function listTasks(db: Db, org: string, filter: TaskFilter) {
  const mine: SQL | undefined = filter.mine
    ? or(
        eq(workflowTasks.assigneeUser, filter.mine.sub),
        filter.mine.role === "admin" ? isNotNull(workflowTasks.assigneeRole) : eq(workflowTasks.assigneeRole, filter.mine.role),
      )
    : undefined;
  const conditions = [
    eq(workflowTasks.org, org),
    filter.status ? eq(workflowTasks.status, filter.status) : undefined,
    filter.workflowId ? eq(workflowTasks.workflowId, filter.workflowId) : undefined,
    mine,
  ];
  return listPage(db.select().from(workflowTasks).$dynamic(), workflowTasks, conditions, filter);
}
