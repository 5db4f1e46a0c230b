// Starting a template instance over HTTP: resolve the template version (404 missing, 409
// archived), then hand the start to the new instance's Durable Object, which runs the engine
// up to the first task, wait or end before answering.
import type { Db } from "../db/client";
import { findTemplateKey, findTemplateVersion } from "../db/repositories/workflow-templates";
import type { Principal } from "../env";
import { ApiError, conflict, notFound } from "../errors";
import { newId } from "../lib/ids";
import type { CreateInstanceInput, Workflow } from "../schemas/workflows";
import type { EngineResult, StartRequest } from "../workflows/instance";

/** An engine refusal as the API's error (one mapping for starts, answers, cancels). */
export function engineError(result: Extract<EngineResult, { ok: false }>, what = "Workflow"): ApiError {
  switch (result.code) {
    case "not_found":
      return notFound(what);
    case "forbidden":
      return new ApiError("forbidden", result.message);
    case "validation_error":
      return new ApiError("validation_error", result.message, [{ path: "outcome", message: result.message }]);
    case "conflict":
      return conflict(result.message);
  }
}

export async function startFromTemplate(db: Db, env: Env, principal: Principal, input: CreateInstanceInput): Promise<Workflow> {
  const key = await findTemplateKey(db, principal.org, input.template);
  if (!key) throw notFound("Template");
  if (key.archived) throw conflict(`Template '${input.template}' is archived: it starts no new workflows`);
  const version = input.templateVersion ?? key.latestVersion;
  if (!(await findTemplateVersion(db, principal.org, input.template, version))) throw notFound("Template version");
  const result = await startInstanceObject(env, {
    org: principal.org,
    workflowId: newId("wf"),
    actor: principal.sub,
    documentId: input.documentId,
    template: input.template,
    templateVersion: version,
    input: input.input ?? {},
    assignedTo: input.assignedTo ?? null,
    metadata: input.metadata ?? null,
  });
  if (!result.ok) throw engineError(result, "Template");
  return result.workflow;
}

/** The one way to start an instance (API, triggers, cron): through its own object. */
export async function startInstanceObject(env: Env, request: StartRequest): Promise<EngineResult> {
  const stub = env.WORKFLOW_OBJECT.get(env.WORKFLOW_OBJECT.idFromName(request.workflowId));
  return (await stub.start(request)) as EngineResult;
}
