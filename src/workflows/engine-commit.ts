// Turns the engine's effects into one D1 batch: the instance row (version-guarded), one history
// row per entry, task rows, wait registrations, email rows, and every event with its delivery
// rows. All commit together or not at all, so a side effect exists exactly when the state
// change that asked for it does. Timers go to the object's own storage (the object does that).
import type { Db, Statement } from "../db/client";
import { saveTask } from "../db/repositories/workflow-tasks";
import { startWaiting, stopWaiting } from "../db/repositories/workflow-waits";
import { queueEmail } from "../db/repositories/workflow-emails";
import { changeWorkflow, insertWorkflow } from "../db/repositories/workflows";
import { workflowHistory } from "../db/schema";
import type { Effect, EngineState, TaskState } from "../engine/state";
import { triggerDepthOf } from "../engine/triggers";
import { type PreparedEvent, prepareEvent } from "../events/publish";
import type { HistoryRow, WorkflowRow } from "../db/schema";
import { type SubscriberSnapshot, withSubscribers } from "../webhooks/subscribers";
import { toWorkflow } from "./present";
import { isTerminal } from "./transitions";

export interface EngineBatch {
  statements: Statement[];
  /** Each published event with the index of its first statement, to find what to enqueue after the commit (enqueuedIds). */
  events: { prepared: PreparedEvent; offset: number }[];
}

/** The row after applying `state`; its version moves by the number of history rows written. */
export function nextRow(before: WorkflowRow, state: EngineState, historyRows: number, now: Date): WorkflowRow {
  return {
    ...before,
    status: state.status,
    currentStep: state.ended,
    engine: state,
    version: before.version + Math.max(1, historyRows),
    updatedAt: now,
    completedAt: isTerminal(state.status) && !isTerminal(before.status) ? now : before.completedAt,
  };
}

/**
 * Runs `write` (which builds the batch with engineBatch and commits it) with the kept
 * subscribers of every type `effects` publish, in one snapshot (webhooks/subscribers.ts): when
 * the batch finds them stale, the whole build and commit run again with fresh ones. Whatever
 * `write` does before its commit must bear running twice.
 */
export function withPublishedSubscribers<T>(
  db: Db,
  org: string,
  effects: Effect[],
  write: (snapshot?: SubscriberSnapshot) => Promise<T>,
): Promise<T> {
  return withSubscribers(db, org, [...new Set(effects.flatMap((e) => (e.kind === "publish" ? [e.type] : [])))], write);
}

/**
 * Statements for a change (`before` given) or a start (`before` undefined: `after` is inserted
 * with a `created` entry at version 1). History rows take the versions after `before.version`.
 * `subscribers`: from withPublishedSubscribers, when `effects` publish anything.
 */
export async function engineBatch(
  db: Db,
  before: WorkflowRow | undefined,
  after: WorkflowRow,
  effects: Effect[],
  actor: string,
  now: Date,
  subscribers?: SubscriberSnapshot,
): Promise<EngineBatch> {
  const firstVersion = (before?.version ?? 1) + 1;
  const history: HistoryRow[] = effects
    .filter((e) => e.kind === "history")
    .map((e, i) => ({
      workflowId: after.id,
      version: firstVersion + i,
      org: after.org,
      action: e.action,
      fromStep: null,
      toStep: null,
      actor: e.actor,
      comment: e.comment,
      at: now,
      step: e.step,
    }));

  const statements: Statement[] = [];
  if (before) {
    const [guarded, ...rest] = history;
    if (!guarded) throw new Error(`workflow ${after.id}: an engine change must write history`);
    statements.push(...changeWorkflow(db, before, after, guarded), ...rest.map((row) => db.insert(workflowHistory).values(row)));
  } else {
    const created: HistoryRow = {
      workflowId: after.id,
      version: 1,
      org: after.org,
      action: "created",
      fromStep: null,
      toStep: null,
      actor,
      comment: null,
      at: now,
      step: null,
    };
    statements.push(...insertWorkflow(db, after, created), ...history.map((row) => db.insert(workflowHistory).values(row)));
  }

  // A task may change several times in one run (opened, answered, closed): write its last form.
  const tasks = new Map<string, TaskState>();
  for (const e of effects) if (e.kind === "task") tasks.set(e.task.id, e.task);
  for (const task of tasks.values()) statements.push(saveTask(db, after.org, after.id, task));

  const events: EngineBatch["events"] = [];
  for (const effect of effects) {
    if (effect.kind === "waitFor") statements.push(startWaiting(db, after.org, after.id, effect, now));
    if (effect.kind === "unwait") statements.push(stopWaiting(db, after.id, effect.key));
    if (effect.kind === "email") statements.push(queueEmail(db, after.org, after.id, effect, now));
    if (effect.kind === "publish") {
      const data = effect.instance ? { ...toWorkflow(after), ...effect.data } : effect.data;
      // One millisecond apart, so lists and ordered webhooks see a run's events in emission order.
      const prepared = await prepareEvent(
        db,
        after.org,
        { type: effect.type, data },
        // One guard per batch: the first event's.
        {
          now: new Date(now.getTime() + events.length),
          snapshot: events.length && subscribers ? { ...subscribers, guarded: false } : subscribers,
          triggerDepth: triggerDepthOf(after.metadata),
        },
      );
      events.push({ prepared, offset: statements.length });
      statements.push(...prepared.statements);
    }
  }
  return { statements, events };
}
