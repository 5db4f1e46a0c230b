// /api/v1/workflows: reads and creation here; changes to an existing workflow are in
// workflow-changes.ts, which routes each one through the workflow's Durable Object.
// `stats` and `document/:documentId` are registered before `/:id` so they are not ids.
import { createRoute, z } from "@hono/zod-openapi";
import { listHistory } from "../db/repositories/workflow-history";
import { readStats } from "../db/repositories/workflow-stats";
import { findWorkflow, listWorkflows } from "../db/repositories/workflows";
import { notFound } from "../errors";
import { pageLimitSchema, versionCursorSchema } from "../lib/pagination";
import { createRouter } from "../lib/router";
import { requirePermission } from "../middleware/auth";
import {
  createWorkflowRequest,
  documentIdParam,
  historySchema,
  listWorkflowsQuery,
  workflowDataSchema,
  workflowIdParam,
  workflowListSchema,
  workflowSchema,
  workflowStatsSchema,
} from "../schemas/workflows";
import { errorResponses } from "../schemas/common";
import { startFromTemplate } from "../templates/start";
import { createWorkflow } from "../workflows/create";
import { toHistoryEntry, toWorkflow } from "../workflows/present";
import { workflowChangeRoutes } from "./workflow-changes";

/** GET /document/:documentId answers at most this many, newest first; page with ?documentId=. */
export const DOCUMENT_WORKFLOWS_LIMIT = 100;

const tags = ["Workflows"];
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

const createWorkflowRoute = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Start a linear workflow at step 1, or a template instance (run up to its first task, wait or end)",
  middleware: [requirePermission("workflow:create")] as const,
  request: { body: { required: true, content: { "application/json": { schema: createWorkflowRequest } } } },
  responses: {
    201: json(workflowSchema, "The new workflow"),
    ...errorResponses(400, 403, 404, 409),
  },
});

const listRoute = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "List workflows, newest first",
  middleware: [requirePermission("read")] as const,
  request: { query: listWorkflowsQuery },
  responses: { 200: json(workflowListSchema, "A page of workflows") },
});

const statsRoute = createRoute({
  method: "get",
  path: "/stats",
  tags,
  summary: "Workflow counts by status",
  middleware: [requirePermission("read")] as const,
  responses: { 200: json(workflowStatsSchema, "Counts from per-status counters") },
});

const documentRoute = createRoute({
  method: "get",
  path: "/document/{documentId}",
  tags,
  summary: `A document's workflows, newest first (at most ${DOCUMENT_WORKFLOWS_LIMIT})`,
  middleware: [requirePermission("read")] as const,
  request: { params: documentIdParam },
  responses: { 200: json(workflowDataSchema, "The document's workflows") },
});

const getRoute = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "One workflow",
  middleware: [requirePermission("read")] as const,
  request: { params: workflowIdParam },
  responses: { 200: json(workflowSchema, "The workflow") },
});

const historyRoute = createRoute({
  method: "get",
  path: "/{id}/history",
  tags,
  summary: "A workflow's changes, oldest first",
  middleware: [requirePermission("read")] as const,
  request: {
    params: workflowIdParam,
    query: z.object({
      limit: pageLimitSchema.default(100),
      cursor: versionCursorSchema.optional(),
    }),
  },
  responses: { 200: json(historySchema, "One entry per change, the creation first") },
});

export function workflowsRoute() {
  const app = createRouter();

  app.openapi(createWorkflowRoute, async (c) => {
    const body = c.req.valid("json");
    const workflow =
      "template" in body
        ? await startFromTemplate(c.get("db"), c.env, c.get("principal"), body)
        : await createWorkflow(c.get("db"), c.env.DELIVERY_QUEUE, c.get("principal"), body);
    return c.json(workflow, 201);
  });

  app.openapi(listRoute, async (c) => {
    const { limit, cursor, status, documentId } = c.req.valid("query");
    const result = await listWorkflows(c.get("db"), c.get("principal").org, { limit, cursor, status, documentId });
    return c.json({ data: result.data.map(toWorkflow), nextCursor: result.nextCursor }, 200);
  });

  app.openapi(statsRoute, async (c) => c.json(await readStats(c.get("db"), c.get("principal").org), 200));

  app.openapi(documentRoute, async (c) => {
    const { documentId } = c.req.valid("param");
    const result = await listWorkflows(c.get("db"), c.get("principal").org, { documentId, limit: DOCUMENT_WORKFLOWS_LIMIT });
    return c.json({ data: result.data.map(toWorkflow) }, 200);
  });

  app.openapi(getRoute, async (c) => {
    const row = await findWorkflow(c.get("db"), c.get("principal").org, c.req.valid("param").id);
    if (!row) throw notFound("Workflow");
    return c.json(toWorkflow(row), 200);
  });

  app.openapi(historyRoute, async (c) => {
    const db = c.get("db");
    const { org } = c.get("principal");
    const { id } = c.req.valid("param");
    if (!(await findWorkflow(db, org, id))) throw notFound("Workflow");
    const { limit, cursor } = c.req.valid("query");
    const result = await listHistory(db, org, id, { limit, afterVersion: cursor });
    return c.json({ data: result.data.map(toHistoryEntry), nextCursor: result.nextCursor }, 200);
  });

  app.route("/", workflowChangeRoutes());
  return app;
}
