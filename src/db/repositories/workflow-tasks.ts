// Table workflow_tasks: the human steps of template instances. Writes are statements for the
// workflow object's one batch; reads are org-scoped index range scans.
import { and, eq, isNotNull, or, type SQL } from "drizzle-orm";
import type { Role } from "../../auth/roles";
import type { TaskState } from "../../engine/state";
import { listPage, type PageQuery } from "../../lib/pagination";
import type { Db, Statement } from "../client";
import { type TaskStatus, workflowTasks } from "../schema";

export type TaskRow = typeof workflowTasks.$inferSelect;

const date = (iso: string | null) => (iso ? new Date(iso) : null);

/** Insert or update one task with its latest state. */
export function saveTask(db: Db, org: string, workflowId: string, task: TaskState): Statement {
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
