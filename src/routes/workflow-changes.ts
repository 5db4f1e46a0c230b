// Changes to an existing workflow: each is one RPC to that workflow's Durable Object, which
// runs changes one at a time and answers a result union that becomes the response or an
// ApiError here (404 for a missing or other org's workflow, 409 for a refused change).
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { conflict, notFound } from "../errors";
import { apiRoute } from "../lib/route";
import { createRouter } from "../lib/router";
import { errorResponses, idParamSchema, json } from "../schemas/common";
import { advanceWorkflowSchema, cancelWorkflowSchema, failWorkflowSchema, updateWorkflowSchema, workflowSchema } from "../schemas/workflows";
import type { CommandResult, WorkflowCommand } from "../workflows/commands";

// Only ids shaped like ours reach a Durable Object; anything else cannot exist.
const WORKFLOW_ID = /^wf_[A-Za-z0-9]{1,64}$/;

const changeResponses = {
  200: { description: "The workflow after the change", content: json(workflowSchema) },
  ...errorResponses(404, 409),
};
const WHY_409 = "409: the workflow is terminal, not at `expectedStep`, or changed concurrently.";

const updateWorkflowRoute = apiRoute({
  method: "put",
  path: "/{id}",
  operationId: "updateWorkflow",
  tag: "Workflows",
  permission: "workflow:change",
  summary: "Change workflowType, assignedTo or metadata",
  description: `null clears assignedTo or metadata; metadata is replaced as a whole. A template instance's workflowType is its template's key: another value is a 409. ${WHY_409}`,
  request: { params: idParamSchema, body: { required: true, content: json(updateWorkflowSchema) } },
  responses: changeResponses,
});

const advanceWorkflowRoute = apiRoute({
  method: "post",
  path: "/{id}/advance",
  operationId: "advanceWorkflow",
  tag: "Workflows",
  permission: "workflow:advance",
  summary: "Move one step on; at the last step, complete",
  description: `Concurrent advances of one workflow run one at a time: each moves exactly one step. ${WHY_409}`,
  request: { params: idParamSchema, body: { required: true, content: json(advanceWorkflowSchema) } },
  responses: changeResponses,
});

const cancelWorkflowRoute = apiRoute({
  method: "post",
  path: "/{id}/cancel",
  operationId: "cancelWorkflow",
  tag: "Workflows",
  permission: "workflow:change",
  summary: "Cancel an in-progress workflow",
  description: WHY_409,
  request: { params: idParamSchema, body: { required: true, content: json(cancelWorkflowSchema) } },
  responses: changeResponses,
});

const failWorkflowRoute = apiRoute({
  method: "post",
  path: "/{id}/fail",
  operationId: "failWorkflow",
  tag: "Workflows",
  permission: "workflow:change",
  summary: "Mark an in-progress workflow failed",
  description: WHY_409,
  request: { params: idParamSchema, body: { required: true, content: json(failWorkflowSchema) } },
  responses: changeResponses,
});

async function applyChange(c: Context<AppEnv>, id: string, command: WorkflowCommand) {
  if (!WORKFLOW_ID.test(id)) throw notFound("Workflow");
  const { org, sub } = c.get("principal");
  const stub = c.env.WORKFLOW_OBJECT.get(c.env.WORKFLOW_OBJECT.idFromName(id));
  // Rpc's typing drops the success branch because metadata is `unknown` (it is plain JSON).
  const result = (await stub.change({ org, workflowId: id, actor: sub }, command)) as CommandResult;
  if (!result.ok) throw result.code === "not_found" ? notFound("Workflow") : conflict(result.message);
  return result.workflow;
}

export function workflowChangeRoutes() {
  const app = createRouter();
  app.openapi(updateWorkflowRoute, async (c) =>
    c.json(await applyChange(c, c.req.valid("param").id, { action: "update", changes: c.req.valid("json") }), 200),
  );
  app.openapi(advanceWorkflowRoute, async (c) =>
    c.json(await applyChange(c, c.req.valid("param").id, { action: "advance", ...c.req.valid("json") }), 200),
  );
  app.openapi(cancelWorkflowRoute, async (c) =>
    c.json(await applyChange(c, c.req.valid("param").id, { action: "cancel", ...c.req.valid("json") }), 200),
  );
  app.openapi(failWorkflowRoute, async (c) => c.json(await applyChange(c, c.req.valid("param").id, { action: "fail", ...c.req.valid("json") }), 200));
  return app;
}
