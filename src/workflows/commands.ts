// One change to one workflow, as the Durable Object runs it: from its row (the object's copy
// or loaded from D1), ask the state machine, commit row + history + counters + event in one
// version-guarded batch, and hand back the ids to enqueue. The caller enqueues them once it
// has left its critical section (the object's #afterCommit), so a queue send never holds up
// the next change to the workflow. Results are plain values, not thrown errors, because
// errors lose their class crossing RPC.
import { commit, type Db } from "../db/client";
import { changeWorkflow, currentVersion, findWorkflow } from "../db/repositories/workflows";
import type { HistoryRow, WorkflowRow } from "../db/schema";
import { enqueueDeliveries } from "../delivery/queue";
import { enqueuedIds, prepareEvent } from "../events/publish";
import type { SubscriberSnapshot } from "../webhooks/subscribers";
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

/** A change computed from the row as stored now, its deliveries enqueued once it committed. */
export async function runCommand(db: Db, queue: Queue, context: CommandContext, command: WorkflowCommand, now: Date): Promise<CommandResult> {
  const before = await findWorkflow(db, context.org, context.workflowId);
  const outcome = await applyCommand(db, context, command, now, before);
  await enqueueDeliveries(queue, context.org, outcome.deliveryIds);
  return outcome.result;
}

export interface CommandOutcome {
  result: CommandResult;
  /** The workflow as stored after this call, when known without another read. */
  row: WorkflowRow | undefined;
  /**
   * What the committed batch asks to be enqueued: the event's deliveries, and its engine
   * dispatch if written (a template trigger on this workflow.* event hears of it now; one not
   * enqueued is swept by cron). Empty when nothing committed.
   */
  deliveryIds: string[];
}

/**
 * A change computed from `before` (the caller's copy of the row, e.g. the Durable Object's
 * last committed one) and, when the caller has them, the subscribers of the events it may
 * emit (a snapshot, perhaps cached: if it went stale the batch fails with isStaleSubscribers
 * and the caller reads them afresh, see withSubscribers): then the change is exactly one D1
 * round trip, its batch. A stale
 * `before` cannot commit anything: the version guard fails the batch (a conflict). Enqueues
 * nothing: the caller sends `deliveryIds` after the commit (runCommand, or the object after its
 * critical section; an ordered webhook's order comes from the rows, not from send order).
 */
export async function applyCommand(
  db: Db,
  context: CommandContext,
  command: WorkflowCommand,
  now: Date,
  before: WorkflowRow | undefined,
  subscribers?: SubscriberSnapshot,
): Promise<CommandOutcome> {
  if (!before) return { result: notFound, row: undefined, deliveryIds: [] };
  const newType = command.action === "update" ? command.changes.workflowType : undefined;
  if (before.template && newType !== undefined && newType !== before.template) {
    return {
      result: conflictWith(`A template instance's workflowType is its template's key (${before.template}); it cannot change`),
      row: before,
      deliveryIds: [],
    };
  }

  const step = transition(before, command.action, command.action === "advance" ? command.expectedStep : undefined);
  if (!step.ok) return { result: conflictWith(step.reason), row: before, deliveryIds: [] };

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
  const offset = statements.length;
  const prepared = step.event
    ? await prepareEvent(db, before.org, { type: step.event, data: toEventData(after, change) }, { now, snapshot: subscribers })
    : undefined;
  if (prepared) statements.push(...prepared.statements);

  let results: unknown[];
  try {
    results = await commit(db, statements);
  } catch (error) {
    // The guard in changeWorkflow fails the batch when the version moved under us (another
    // object instance, or a write outside the DO). Nothing committed; the caller may retry.
    if ((await currentVersion(db, before.org, before.id)) !== before.version) {
      return { result: conflictWith("Workflow changed concurrently; reload it and retry"), row: undefined, deliveryIds: [] };
    }
    throw error;
  }
  // Cannot happen while the guard holds; if it ever did, say so loudly rather than report a step.
  if ((results[0] as D1Result).meta.changes !== 1) throw new Error(`workflow ${before.id}: guarded update changed no row`);
  return {
    result: { ok: true, workflow: toWorkflow(after) },
    row: after,
    deliveryIds: prepared ? enqueuedIds(prepared, results, offset) : [],
  };
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
