// Request and response schemas of /api/v1/tasks: the human steps of template workflows.
import { z } from "@hono/zod-openapi";
import { listQuerySchema } from "../lib/pagination";
import { listOf } from "./common";

const assignee = z.union([z.object({ role: z.string() }), z.object({ user: z.string() })]);

export const taskSchema = z
  .object({
    id: z.string().openapi({ example: "tsk_0123_1" }),
    workflowId: z.string(),
    step: z.string(),
    title: z.string(),
    assignee,
    approvalsRequired: z.number().int(),
    outcomes: z.array(z.string()),
    answers: z.array(z.object({ actor: z.string(), outcome: z.string(), comment: z.string().nullable(), at: z.string() })),
    status: z.enum(["open", "completed", "cancelled"]),
    outcome: z.string().nullable(),
    dueAt: z.string().nullable(),
    overdue: z.boolean(),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .openapi("Task");

export const taskListSchema = listOf(taskSchema, "TaskList");

export const listTasksQuery = listQuerySchema.extend({
  status: z.enum(["open", "completed", "cancelled"]).optional(),
  workflowId: z.string().min(1).max(128).optional(),
  mine: z.enum(["true", "false"]).optional().openapi({ description: "true: only tasks the caller may complete (open unless status says otherwise)" }),
});

export const completeTaskBody = z
  .strictObject({
    outcome: z.string().min(1).max(32).openapi({ example: "approve" }),
    comment: z.string().min(1).max(1000).optional(),
  })
  .openapi("CompleteTask");

export const taskIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(160)
    .openapi({ param: { name: "id", in: "path" }, example: "tsk_0123_1" }),
});

export type Task = z.infer<typeof taskSchema>;
