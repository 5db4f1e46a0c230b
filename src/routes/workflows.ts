// /api/v1/workflows: reads and creation here; changes to an existing workflow are in
// workflow-changes.ts, which routes each one through the workflow's Durable Object.
// `stats` and `document/:documentId` are registered before `/:id` so they are not ids.
import { listHistory } from "../db/repositories/workflow-history";
import { readStats } from "../db/repositories/workflow-stats";
import { findWorkflow, listWorkflows } from "../db/repositories/workflows";
import { notFound } from "../errors";
import { apiRoute } from "../lib/route";
import { createRouter } from "../lib/router";
import { errorResponses, idParamSchema, json } from "../schemas/common";
import {
  createWorkflowRequestSchema,
  documentIdParamSchema,
  documentWorkflowsSchema,
  historyListSchema,
  historyQuerySchema,
  workflowListQuerySchema,
  workflowListSchema,
  workflowSchema,
  workflowStatsSchema,
} from "../schemas/workflows";
import { startFromTemplate } from "../templates/start";
import { createWorkflow } from "../workflows/create";
import { toHistoryEntry, toWorkflow } from "../workflows/present";
import { workflowChangeRoutes } from "./workflow-changes";

/** GET /document/:documentId answers at most this many, newest first; page with ?documentId=. */
export const DOCUMENT_WORKFLOWS_LIMIT = 100;

const createWorkflowRoute = apiRoute({
  method: "post",
  path: "/",
  operationId: "createWorkflow",
  tag: "Workflows",
  permission: "workflow:create",
  summary: "Start a linear workflow at step 1, or a template instance",
  description:
    "A body with `workflowType` and `steps` starts a linear workflow; one with `template` starts an instance of that saved " +
    "template and runs it up to its first task, wait or end before answering. 404: no such template; 409: it is archived.",
  request: { body: { required: true, content: json(createWorkflowRequestSchema) } },
  responses: { 201: { description: "The new workflow", content: json(workflowSchema) }, ...errorResponses(404, 409) },
});

const listWorkflowsRoute = apiRoute({
  method: "get",
  path: "/",
  operationId: "listWorkflows",
  tag: "Workflows",
  permission: "read",
  summary: "List workflows, newest first",
  description: "Keyset-paged; filter by `status` or `documentId`.",
  request: { query: workflowListQuerySchema },
  responses: { 200: { description: "A page of workflows", content: json(workflowListSchema) } },
});

const workflowStatsRoute = apiRoute({
  method: "get",
  path: "/stats",
  operationId: "getWorkflowStats",
  tag: "Workflows",
  permission: "read",
  summary: "Workflow counts by status",
  description: "Read from per-status counters kept with every change, so it costs the same for any number of workflows.",
  responses: { 200: { description: "Counts by status", content: json(workflowStatsSchema) } },
});

const documentWorkflowsRoute = apiRoute({
  method: "get",
  path: "/document/{documentId}",
  operationId: "listDocumentWorkflows",
  tag: "Workflows",
  permission: "read",
  summary: `A document's workflows, newest first (at most ${DOCUMENT_WORKFLOWS_LIMIT})`,
  description: "For more, page through `GET /api/v1/workflows?documentId=`.",
  request: { params: documentIdParamSchema },
  responses: { 200: { description: "The document's workflows", content: json(documentWorkflowsSchema) } },
});

const getWorkflowRoute = apiRoute({
  method: "get",
  path: "/{id}",
  operationId: "getWorkflow",
  tag: "Workflows",
  permission: "read",
  summary: "One workflow",
  request: { params: idParamSchema },
  responses: { 200: { description: "The workflow", content: json(workflowSchema) }, ...errorResponses(404) },
});

const workflowHistoryRoute = apiRoute({
  method: "get",
  path: "/{id}/history",
  operationId: "listWorkflowHistory",
  tag: "Workflows",
  permission: "read",
  summary: "A workflow's changes, oldest first",
  description: "One entry per change, the creation first; keyset-paged by version.",
  request: { params: idParamSchema, query: historyQuerySchema },
  responses: { 200: { description: "A page of history entries", content: json(historyListSchema) }, ...errorResponses(404) },
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

  app.openapi(listWorkflowsRoute, async (c) => {
    const { limit, cursor, status, documentId } = c.req.valid("query");
    const result = await listWorkflows(c.get("db"), c.get("principal").org, { limit, cursor, status, documentId });
    return c.json({ data: result.data.map(toWorkflow), nextCursor: result.nextCursor }, 200);
  });

  app.openapi(workflowStatsRoute, async (c) => c.json(await readStats(c.get("db"), c.get("principal").org), 200));

  app.openapi(documentWorkflowsRoute, async (c) => {
    const { documentId } = c.req.valid("param");
    const result = await listWorkflows(c.get("db"), c.get("principal").org, { documentId, limit: DOCUMENT_WORKFLOWS_LIMIT });
    return c.json({ data: result.data.map(toWorkflow) }, 200);
  });

  app.openapi(getWorkflowRoute, async (c) => {
    const row = await findWorkflow(c.get("db"), c.get("principal").org, c.req.valid("param").id);
    if (!row) throw notFound("Workflow");
    return c.json(toWorkflow(row), 200);
  });

  app.openapi(workflowHistoryRoute, async (c) => {
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
