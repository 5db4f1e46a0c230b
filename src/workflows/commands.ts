// One change to one workflow, as the Durable Object runs it: load from D1, ask the state
// machine, commit row + history + counters + event in one version-guarded batch, then enqueue
// the event's deliveries. Results are plain values, not thrown errors, because errors lose
// their class crossing RPC.
import type { Db } from "../db/client";
import { changeWorkflow, currentVersion, findWorkflow } from "../db/repositories/workflows";
import type { HistoryRow, WorkflowRow } from "../db/schema";
import { commitAndEnqueue, enqueueDeliveries } from "../delivery/queue";
import { dispatchedEventIds, prepareEvent } from "../events/publish";
import type { UpdateWorkflowInput, Workflow } from "../schemas/workflows";
import { toEventData, toWorkflow } from "./present";
import { transition } from "./transitions";

export type WorkflowCommand =
  | { action: "advance"; comment?: string; expectedStep?: number }
  | { action: "cancel"; reason?: string }
  | { action: "fail"; reason: string }
  | { action: "update"; changes: UpdateWorkflowInput };

export interface CommandContext {
  org: string;
  workflowId: string;
  /** principal.sub of the caller, recorded in history. */
  actor: string;
}

export type CommandResult = { ok: true; workflow: Workflow } | { ok: false; code: "not_found" | "conflict"; message: string };

const notFound: CommandResult = { ok: false, code: "not_found", message: "Workflow not found" };
const conflictWith = (message: string): CommandResult => ({ ok: false, code: "conflict", message });

export async function runCommand(db: Db, queue: Queue, context: CommandContext, command: WorkflowCommand, now: Date): Promise<CommandResult> {
  const before = await findWorkflow(db, context.org, context.workflowId);
  if (!before) return notFound;

  const step = transition(before, command.action, command.action === "advance" ? command.expectedStep : undefined);
  if (!step.ok) return conflictWith(step.reason);

  const after: WorkflowRow = {
    ...before,
    ...(command.action === "update" ? editableFields(command.changes) : {}),
    status: step.status,
    currentStep: step.currentStep,
    version: before.version + 1,
    updatedAt: now,
    completedAt: step.completes ? now : before.completedAt,
  };
  const change: HistoryRow = {
    workflowId: before.id,
    version: after.version,
    org: before.org,
    action: step.historyAction,
    fromStep: step.fromStep,
    toStep: step.toStep,
    actor: context.actor,
    comment: commentOf(command) ?? null,
    at: now,
    step: null,
  };

  const statements = changeWorkflow(db, before, after, change);
  let deliveryIds: string[] = [];
  const offset = statements.length;
  const prepared = step.event ? await prepareEvent(db, before.org, { type: step.event, data: toEventData(after, change) }, { now }) : undefined;
  if (prepared) {
    statements.push(...prepared.statements);
    deliveryIds = prepared.deliveryIds;
  }

  let updated: unknown;
  try {
    const results = await commitAndEnqueue(db, queue, before.org, statements, deliveryIds);
    [updated] = results;
    // A template trigger on this workflow.* event hears of it now (else the cron sweep enqueues it).
    if (prepared) await enqueueDeliveries(queue, before.org, dispatchedEventIds(prepared, results, offset));
  } catch (error) {
    // The guard in changeWorkflow fails the batch when the version moved under us (another
    // object instance, or a write outside the DO). Nothing committed; the caller may retry.
    if ((await currentVersion(db, before.org, before.id)) !== before.version) {
      return conflictWith("Workflow changed concurrently; reload it and retry");
    }
    throw error;
  }
  // Cannot happen while the guard holds; if it ever did, say so loudly rather than report a step.
  if ((updated as D1Result).meta.changes !== 1) throw new Error(`workflow ${before.id}: guarded update changed no row`);
  return { ok: true, workflow: toWorkflow(after) };
}

// Only the three editable fields, and only those given: an omitted (or, over RPC, undefined)
// field keeps its stored value; null clears assignedTo or metadata.
function editableFields(changes: UpdateWorkflowInput): Partial<WorkflowRow> {
  const fields: Partial<WorkflowRow> = {};
  if (changes.workflowType !== undefined) fields.workflowType = changes.workflowType;
  if (changes.assignedTo !== undefined) fields.assignedTo = changes.assignedTo;
  if (changes.metadata !== undefined) fields.metadata = changes.metadata;
  return fields;
}

function commentOf(command: WorkflowCommand): string | undefined {
  switch (command.action) {
    case "advance":
      return command.comment;
    case "cancel":
    case "fail":
      return command.reason;
    case "update":
      return undefined;
  }
}
