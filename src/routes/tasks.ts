// /api/v1/tasks: the human steps of template workflows. Completing one goes through its
// workflow's Durable Object, which checks the assignee, records the answer and runs the
// engine on to the next task, wait or end before answering.
import { findTask, listTasks, type TaskRow } from "../db/repositories/workflow-tasks";
import { notFound } from "../errors";
import { apiRoute } from "../lib/route";
import { createRouter } from "../lib/router";
import { errorResponses, iso, isoOrNull, json } from "../schemas/common";
import { completeTaskBody, listTasksQuery, type Task, taskIdParam, taskListSchema, taskSchema } from "../schemas/tasks";
import { engineError } from "../templates/start";
import type { EngineResult } from "../workflows/instance";

const toTask = (row: TaskRow): Task => ({
  id: row.id,
  workflowId: row.workflowId,
  step: row.step,
  title: row.title,
  assignee: row.assignee,
  approvalsRequired: row.approvalsRequired,
  outcomes: row.outcomes,
  answers: row.answers,
  status: row.status,
  outcome: row.outcome ?? null,
  dueAt: isoOrNull(row.dueAt),
  overdue: row.overdue,
  createdAt: iso(row.createdAt),
  completedAt: isoOrNull(row.completedAt),
});

const listRoute = apiRoute({
  method: "get",
  path: "/",
  operationId: "listTasks",
  tag: "Tasks",
  summary: "List tasks, newest first; mine=true: the open tasks the caller may complete",
  permission: "read",
  request: { query: listTasksQuery },
  responses: { 200: { description: "A page of tasks", content: json(taskListSchema) } },
});

const getRoute = apiRoute({
  method: "get",
  path: "/{id}",
  operationId: "getTask",
  tag: "Tasks",
  summary: "One task",
  permission: "read",
  request: { params: taskIdParam },
  responses: { 200: { description: "The task", content: json(taskSchema) }, ...errorResponses(404) },
});

const completeRoute = apiRoute({
  method: "post",
  path: "/{id}/complete",
  operationId: "completeTask",
  tag: "Tasks",
  summary: "Answer a task with one of its outcomes; the workflow runs on before this answers",
  description: "Only the task's assignee: `{role}` is met by that role or admin, `{user}` by that sub alone.",
  permission: "read",
  request: { params: taskIdParam, body: { required: true, content: json(completeTaskBody) } },
  responses: {
    200: { description: "The task after the answer", content: json(taskSchema) },
    ...errorResponses(404, 409),
  },
});

export function tasksRoute() {
  const app = createRouter();

  app.openapi(listRoute, async (c) => {
    const { sub, role, org } = c.get("principal");
    const { mine, status, ...rest } = c.req.valid("query");
    const result = await listTasks(c.get("db"), org, {
      ...rest,
      status: status ?? (mine === "true" ? "open" : undefined),
      mine: mine === "true" ? { sub, role } : undefined,
    });
    return c.json({ data: result.data.map(toTask), nextCursor: result.nextCursor }, 200);
  });

  app.openapi(getRoute, async (c) => {
    const row = await findTask(c.get("db"), c.get("principal").org, c.req.valid("param").id);
    if (!row) throw notFound("Task");
    return c.json(toTask(row), 200);
  });

  app.openapi(completeRoute, async (c) => {
    const { org, sub, role } = c.get("principal");
    const task = await findTask(c.get("db"), org, c.req.valid("param").id);
    if (!task) throw notFound("Task");
    const { outcome, comment } = c.req.valid("json");
    const stub = c.env.WORKFLOW_OBJECT.get(c.env.WORKFLOW_OBJECT.idFromName(task.workflowId));
    const result = (await stub.command(
      { org, workflowId: task.workflowId },
      { type: "answer", taskId: task.id, outcome, comment },
      { sub, role },
    )) as EngineResult;
    if (!result.ok) throw engineError(result, "Task");
    if (!result.task) throw notFound("Task");
    return c.json(result.task, 200);
  });

  return app;
}
