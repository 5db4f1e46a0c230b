// Starting and changing a template instance, as its Durable Object runs it: load the row, ask
// the pure engine, commit its effects in one version-guarded batch. Results are plain values
// (errors lose their class over RPC); what must happen after the commit (enqueue deliveries,
// send emails, set timers) comes back for the object to do.
import { commit, type Db } from "../db/client";
import { currentVersion, findWorkflow } from "../db/repositories/workflows";
import { longestPath } from "../engine/check";
import type { Definition } from "../engine/definition";
import { apply, start } from "../engine/engine";
import { taskView } from "../engine/steps";
import type { Actor, Command, Effect, TaskState } from "../engine/state";
import type { Workflow } from "../schemas/workflows";
import type { Task } from "../schemas/tasks";
import { enqueuedIds } from "../events/publish";
import { type EngineBatch, engineBatch, nextRow, withPublishedSubscribers } from "./engine-commit";
import type { WorkflowRow } from "../db/schema";
import { toWorkflow } from "./present";

/** Called with the effects just before the D1 batch runs (the object stores new timers then). */
export type BeforeCommit = (effects: Effect[]) => void;

export type LoadDefinition = (org: string, key: string, version: number) => Promise<Definition | undefined>;

export type EngineResult =
  | { ok: true; workflow: Workflow; task?: Task }
  | { ok: false; code: "not_found" | "conflict" | "forbidden" | "validation_error"; message: string };

export interface Applied {
  result: EngineResult;
  deliveryIds: string[];
  effects: Effect[];
}

export interface StartRequest {
  org: string;
  workflowId: string;
  actor: string;
  documentId: string;
  template: string;
  templateVersion: number;
  input: Record<string, unknown>;
  assignedTo?: string | null;
  metadata?: Record<string, unknown> | null;
}

/** What the committed batch asks to be enqueued: each event's deliveries, and its engine dispatch if written. */
const enqueued = (batch: EngineBatch, results: unknown[]) => batch.events.flatMap((e) => enqueuedIds(e.prepared, results, e.offset));

const refused = (code: Extract<EngineResult, { ok: false }>["code"], message: string): Applied => ({
  result: { ok: false, code, message },
  deliveryIds: [],
  effects: [],
});
const unchanged = (row: WorkflowRow): Applied => ({ result: { ok: true, workflow: toWorkflow(row) }, deliveryIds: [], effects: [] });

/** Start an instance; starting an id that exists answers it unchanged (triggers rely on this). */
export async function startInstance(db: Db, request: StartRequest, load: LoadDefinition, now: Date, beforeCommit?: BeforeCommit): Promise<Applied> {
  const existing = await findWorkflow(db, request.org, request.workflowId);
  if (existing) return unchanged(existing);
  const def = await load(request.org, request.template, request.templateVersion);
  if (!def) return refused("not_found", "Template not found");

  const outcome = start(def, request.documentId, request.input, { workflowId: request.workflowId, now });
  if (!outcome.ok) return refused(outcome.refusal.code, outcome.refusal.message);
  const row: WorkflowRow = {
    id: request.workflowId,
    org: request.org,
    documentId: request.documentId,
    workflowType: request.template,
    steps: Object.keys(def.steps),
    currentStep: 0,
    totalSteps: longestPath(def),
    status: "in_progress",
    assignedTo: request.assignedTo ?? null,
    metadata: request.metadata ?? null,
    template: request.template,
    templateVersion: request.templateVersion,
    engine: null,
    version: 0,
    createdAt: now,
    updatedAt: now,
    completedAt: null,
  };
  const after = nextRow(row, outcome.state, outcome.effects.filter((e) => e.kind === "history").length + 1, now);
  return commitRun(
    db,
    { before: undefined, after, effects: outcome.effects, actor: request.actor, now, beforeCommit },
    { ok: true, workflow: toWorkflow(after) },
    async () => {
      const raced = await findWorkflow(db, request.org, request.workflowId);
      return raced && unchanged(raced);
    },
  );
}

/** Apply one command to an existing instance. */
export async function changeInstance(
  db: Db,
  target: { org: string; workflowId: string },
  command: Command,
  actor: Actor,
  load: LoadDefinition,
  now: Date,
  beforeCommit?: BeforeCommit,
  /** The row, when the caller has just read it in the same critical section. */
  loaded?: WorkflowRow,
): Promise<Applied> {
  const before = loaded ?? (await findWorkflow(db, target.org, target.workflowId));
  if (!before) return refused("not_found", "Workflow not found");
  if (!before.engine || !before.template || !before.templateVersion) return refused("conflict", "Not a template workflow");
  const def = await load(before.org, before.template, before.templateVersion);
  if (!def) throw new Error(`workflow ${before.id}: template ${before.template} v${before.templateVersion} is missing`);

  const outcome = apply(def, before.engine, command, actor, { workflowId: before.id, now });
  if (!outcome.ok) return refused(outcome.refusal.code, outcome.refusal.message);
  if (outcome.effects.length === 0) return unchanged(before);

  const after = nextRow(before, outcome.state, outcome.effects.filter((e) => e.kind === "history").length, now);
  const task = command.type === "answer" ? answeredTask(outcome.effects, outcome.state.tasks, command.taskId, before.id) : undefined;
  const result: EngineResult = { ok: true, workflow: toWorkflow(after), ...(task ? { task } : {}) };
  return commitRun(db, { before, after, effects: outcome.effects, actor: actor.sub, now, beforeCommit }, result, async () =>
    (await currentVersion(db, before.org, before.id)) !== before.version
      ? refused("conflict", "Workflow changed concurrently; reload it and retry")
      : undefined,
  );
}

/**
 * Builds a run's batch with the kept subscribers of what it publishes, runs `beforeCommit` and
 * commits, answering `result`. A failed commit is explained by `ifFailed` (a raced start, a
 * moved version) or thrown; a stale snapshot, which `ifFailed` finds no reason for, then builds
 * and commits again (withPublishedSubscribers; `beforeCommit` puts the object's timers by id, so
 * running it twice is harmless).
 */
async function commitRun(
  db: Db,
  run: { before: WorkflowRow | undefined; after: WorkflowRow; effects: Effect[]; actor: string; now: Date; beforeCommit?: BeforeCommit },
  result: EngineResult,
  ifFailed: () => Promise<Applied | undefined>,
): Promise<Applied> {
  const { before, after, effects, actor, now, beforeCommit } = run;
  return withPublishedSubscribers(db, after.org, effects, async (subscribers) => {
    const batch = await engineBatch(db, before, after, effects, actor, now, subscribers);
    beforeCommit?.(effects);
    let results: unknown[];
    try {
      results = await commit(db, batch.statements);
    } catch (error) {
      const answer = await ifFailed();
      if (answer) return answer;
      throw error;
    }
    return { result, deliveryIds: enqueued(batch, results), effects };
  });
}

function answeredTask(effects: Effect[], open: Record<string, TaskState>, taskId: string, workflowId: string): Task | undefined {
  const last = effects.filter((e) => e.kind === "task" && e.task.id === taskId).at(-1);
  const task = last?.kind === "task" ? last.task : open[taskId];
  return task ? taskView(task, workflowId) : undefined;
}
