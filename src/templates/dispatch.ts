// The engine's share of a published event, run from the delivery queue: start an instance for
// each live template with a matching event trigger, and hand the event to every instance
// waiting for its type. Both are idempotent, so a message delivered three times starts and
// wakes nothing twice: a trigger's instance id is derived from (org, template, event), and a
// wait is consumed by the first delivery (a later one finds nothing waiting).
import type { Db } from "../db/client";
import { deleteDispatch, dispatchDepth } from "../db/repositories/engine-dispatches";
import { findEvent } from "../db/repositories/events";
import { findLiveEventTemplates } from "../db/repositories/workflow-templates";
import { findWaitingWorkflows } from "../db/repositories/workflow-waits";
import { type EventTrigger, eventTriggerDocument, isCron, MAX_TRIGGER_DEPTH, type Trigger } from "../engine/triggers";
import { log } from "../lib/log";
import { sha256Hex } from "../lib/sha256";
import { startInstanceObject } from "./start";

/** `wf_` + 32 hex of SHA-256 over the parts: the same start always gets the same id. */
export async function derivedWorkflowId(...parts: string[]): Promise<string> {
  return `wf_${(await sha256Hex(parts.join("\u0000"))).slice(0, 32)}`;
}

export async function dispatchEvent(db: Db, env: Env, org: string, eventId: string): Promise<void> {
  const [event, depth] = await Promise.all([findEvent(db, org, eventId), dispatchDepth(db, eventId)]);
  // No row: a copy of this message already did everything below (the row goes last). Doing it
  // again would be harmless but for the depth: a chain stopped at its bound would start again.
  if (depth === undefined) return;
  if (event) {
    const subject = { id: event.id, type: event.type, data: event.data, createdAt: event.createdAt.toISOString() };
    // Every live template with a trigger on this type in one read, not one read per key.
    const templates = await findLiveEventTemplates(db, org, event.type);
    const tooDeep = depth >= MAX_TRIGGER_DEPTH;
    // Waiting instances below still hear of it: waking one starts nothing new.
    if (tooDeep && templates.length)
      log("warn", "trigger chain too deep; no template started", { org, eventId, type: event.type, depth, templates: templates.map((t) => t.key) });
    for (const template of tooDeep ? [] : templates) {
      const key = template.key;
      const trigger = (template.triggers as Trigger[]).find((t): t is EventTrigger => !isCron(t) && eventTriggerDocument(t, subject) !== undefined);
      if (!trigger) continue;
      const result = await startInstanceObject(env, {
        org,
        workflowId: await derivedWorkflowId(org, key, event.id),
        actor: `trigger:${event.type}`,
        documentId: eventTriggerDocument(trigger, subject) as string,
        template: key,
        templateVersion: template.version,
        input: event.data,
        metadata: { triggeredBy: event.id, triggerDepth: depth + 1 },
      });
      if (!result.ok) log("error", "event trigger did not start", { org, key, eventId, code: result.code });
    }
    for (const workflowId of await findWaitingWorkflows(db, org, event.type)) {
      const stub = env.WORKFLOW_OBJECT.get(env.WORKFLOW_OBJECT.idFromName(workflowId));
      await stub.command({ org, workflowId }, { type: "event", event: subject });
    }
  }
  await deleteDispatch(db, eventId);
}
