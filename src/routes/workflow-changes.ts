// Changes to an existing workflow: each is one RPC to that workflow's Durable Object, which
// runs changes one at a time and answers a result union that becomes the response or an
// ApiError here (404 for a missing or other org's workflow, 409 for a refused change).
import { createRoute, type z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Permission } from "../auth/roles";
import type { AppEnv } from "../env";
import { conflict, notFound } from "../errors";
import { createRouter } from "../lib/router";
import { requirePermission } from "../middleware/auth";
import { advanceWorkflowBody, cancelWorkflowBody, failWorkflowBody, updateWorkflowBody, workflowIdParam, workflowSchema } from "../schemas/workflows";
import type { CommandResult, WorkflowCommand } from "../workflows/commands";

// Only ids shaped like ours reach a Durable Object; anything else cannot exist.
const WORKFLOW_ID = /^wf_[A-Za-z0-9]{1,64}$/;

function changeRoute<B extends z.ZodType>(method: "put" | "post", path: string, permission: Permission, body: B, summary: string) {
  return createRoute({
    method,
    path,
    tags: ["Workflows"],
    summary,
    middleware: [requirePermission(permission)] as const,
    request: { params: workflowIdParam, body: { required: true, content: { "application/json": { schema: body } } } },
    responses: {
      200: { description: "The workflow after the change", content: { "application/json": { schema: workflowSchema } } },
      404: { description: "No such workflow in your org" },
      409: { description: "The workflow is terminal, or not at expectedStep, or changed concurrently" },
    },
  });
}

const updateRoute = changeRoute("put", "/{id}", "workflow:change", updateWorkflowBody, "Change workflowType, assignedTo or metadata");
const advanceRoute = changeRoute("post", "/{id}/advance", "workflow:advance", advanceWorkflowBody, "Move one step on; at the last step, complete");
const cancelRoute = changeRoute("post", "/{id}/cancel", "workflow:change", cancelWorkflowBody, "Cancel an in-progress workflow");
const failRoute = changeRoute("post", "/{id}/fail", "workflow:change", failWorkflowBody, "Mark an in-progress workflow failed");

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
  app.openapi(updateRoute, async (c) =>
    c.json(await applyChange(c, c.req.valid("param").id, { action: "update", changes: c.req.valid("json") }), 200),
  );
  app.openapi(advanceRoute, async (c) => c.json(await applyChange(c, c.req.valid("param").id, { action: "advance", ...c.req.valid("json") }), 200));
  app.openapi(cancelRoute, async (c) => c.json(await applyChange(c, c.req.valid("param").id, { action: "cancel", ...c.req.valid("json") }), 200));
  app.openapi(failRoute, async (c) => c.json(await applyChange(c, c.req.valid("param").id, { action: "fail", ...c.req.valid("json") }), 200));
  return app;
}
