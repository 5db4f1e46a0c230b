// The step runner, pure: one Run applies automated steps to a copy of the state until every
// path of the instance stops at a task, a wait, or an end, and collects the effects for the
// Durable Object to apply. Step ids are qualified by the parallel branch they live in:
// `ask/0/pharmacy` is step `pharmacy` of branch 0 of parallel step `ask`.
import { runAction } from "./actions";
import { choose } from "./choice";
import type { Definition, ParallelStep, TaskStep, WaitStep } from "./definition";
import { addDuration } from "./duration";
import { resolveRefs } from "./paths";
import { lookup, taskView } from "./steps";
import { ENGINE_ACTOR, type Effect, type EngineState, type HistoryAction, type TaskState, type TimerState, type Token } from "./state";

/** Automated steps one run may take; beyond it the instance fails instead of spinning. */
export const MAX_STEPS_PER_RUN = 1000;

export interface RunContext {
  workflowId: string;
  now: Date;
}

export class Run {
  readonly effects: Effect[] = [];
  #steps = 0;

  constructor(
    readonly def: Definition,
    readonly state: EngineState,
    readonly ctx: RunContext,
  ) {}

  get now() {
    return this.ctx.now.toISOString();
  }

  root() {
    return { input: this.state.input, data: this.state.data, documentId: this.state.documentId, now: this.now };
  }

  history(action: HistoryAction, step: string | null, comment: string | null = null, actor = ENGINE_ACTOR) {
    this.effects.push({ kind: "history", action, step, actor, comment });
  }

  publishTask(type: "workflow.task_created" | "workflow.task_completed" | "workflow.task_overdue", task: TaskState) {
    this.effects.push({ kind: "publish", type, data: { ...structuredClone(taskView(task, this.ctx.workflowId)), taskId: task.id } });
  }

  saveTask(task: TaskState) {
    this.effects.push({ kind: "task", task: structuredClone(task) });
  }

  /** Enter step `id`, then keep going through automated steps until this path stops. */
  enter(id: string): void {
    if (this.state.status !== "in_progress") return;
    if (++this.#steps > MAX_STEPS_PER_RUN) {
      this.end("failed", `stopped after ${MAX_STEPS_PER_RUN} automated steps in one run`);
      return;
    }
    const { step, prefix } = lookup(this.def, id);
    const visit = (this.state.visits[id] ?? 0) + 1;
    this.state.visits[id] = visit;
    this.history("step_entered", id);
    switch (step.type) {
      case "task":
        this.openTask(id, visit, step);
        break;
      case "wait":
        this.startWait(id, visit, step);
        break;
      case "parallel":
        this.startParallel(id, visit, step);
        break;
      case "choice":
        this.pass(prefix + choose(step.choices, step.default as string, this.root()));
        break;
      case "action": {
        const result = runAction(step, this.root(), `${this.ctx.workflowId}:${id}#${visit}`);
        if (!result.ok) {
          this.end("failed", `step ${id}: ${result.reason}`);
          break;
        }
        this.state.data = result.data;
        this.effects.push(...result.effects);
        this.history("action_taken", id, result.summary);
        this.pass(prefix + step.next);
        break;
      }
      case "succeed":
        this.state.ended++;
        if (prefix) this.branchEnded(prefix);
        else this.end("completed");
        break;
      case "fail":
        this.state.ended++;
        this.end("failed", step.reason ?? `reached fail step ${id}`);
        break;
    }
  }

  /** Leave the current step for `to` (a qualified id). */
  pass(to: string) {
    this.state.ended++;
    this.enter(to);
  }

  setTimer(id: string, at: Date, step: string, kind: TimerState["kind"]) {
    this.state.timers[id] = { at: at.toISOString(), step, kind };
    this.effects.push({ kind: "setTimer", id, at: at.toISOString() });
    return id;
  }

  openTask(id: string, visit: number, step: TaskStep) {
    const seq = ++this.state.seq;
    const dueAt = step.dueIn ? addDuration(this.ctx.now, step.dueIn) : null;
    const task: TaskState = {
      id: `tsk_${this.ctx.workflowId.replace(/^wf_/, "")}_${seq}`,
      step: id,
      title: step.title,
      assignee: step.assignee,
      approvalsRequired: step.approvals,
      outcomes: step.outcomes,
      answers: [],
      status: "open",
      outcome: null,
      dueAt: dueAt?.toISOString() ?? null,
      overdue: false,
      createdAt: this.now,
      completedAt: null,
    };
    const timers = dueAt ? [this.setTimer(`${id}#${visit}:due`, dueAt, id, "due")] : [];
    this.state.tasks[task.id] = task;
    this.state.active.push({ step: id, visit, taskId: task.id, timers });
    this.saveTask(task);
    this.publishTask("workflow.task_created", task);
  }

  startWait(id: string, visit: number, step: WaitStep) {
    const token: Token = { step: id, visit, timers: [] };
    const limit = step.for ?? step.timeout;
    if (limit) token.timers.push(this.setTimer(`${id}#${visit}:wait`, addDuration(this.ctx.now, limit), id, "wait"));
    if (step.event) {
      token.wait = { type: step.event.type, match: resolveRefs(step.event.match ?? {}, this.root()) as Record<string, unknown>, since: this.now };
      this.effects.push({ kind: "waitFor", key: `${id}#${visit}`, type: step.event.type });
    }
    this.state.active.push(token);
  }

  startParallel(id: string, visit: number, step: ParallelStep) {
    const token: Token = { step: id, visit, timers: [], branches: step.branches.map(() => "running") };
    this.state.active.push(token);
    step.branches.forEach((branch, i) => {
      // An earlier branch may already have met the join (and cancelled this one).
      if (token.branches?.[i] === "running" && this.state.active.includes(token)) this.enter(`${id}/${i}/${branch.start}`);
    });
  }

  /** A branch reached `succeed`: count it toward the join; when met, cancel the rest and go on. */
  branchEnded(prefix: string) {
    const parts = prefix.slice(0, -1).split("/");
    const index = Number(parts.pop());
    const parallelId = parts.join("/");
    const token = this.state.active.find((t) => t.step === parallelId && t.branches);
    if (!token?.branches) return;
    token.branches[index] = "ended";
    const { step, prefix: outer } = lookup(this.def, parallelId) as { step: ParallelStep; prefix: string };
    const need = step.join === "all" ? step.branches.length : step.join === "any" ? 1 : step.join;
    if (token.branches.filter((b) => b === "ended").length < need) return;
    token.branches.forEach((b, i) => {
      if (b !== "running" || !token.branches) return;
      token.branches[i] = "cancelled";
      this.cancelWithin(`${parallelId}/${i}/`);
    });
    this.leave(token);
    this.pass(outer + step.next);
  }

  /** Take a token off the active list with its timers and event registration. */
  leave(token: Token) {
    this.state.active = this.state.active.filter((t) => t !== token);
    for (const id of token.timers) {
      if (!this.state.timers[id]) continue;
      delete this.state.timers[id];
      this.effects.push({ kind: "cancelTimer", id });
    }
    if (token.wait) this.effects.push({ kind: "unwait", key: `${token.step}#${token.visit}` });
  }

  closeTask(task: TaskState, status: "completed" | "cancelled", outcome: string | null) {
    task.status = status;
    task.outcome = outcome;
    task.completedAt = this.now;
    delete this.state.tasks[task.id];
    this.saveTask(task);
  }

  /** Cancel every task, wait and nested parallel whose step lies under `prefix`. */
  cancelWithin(prefix: string) {
    for (const token of this.state.active.filter((t) => t.step.startsWith(prefix))) this.drop(token);
  }

  drop(token: Token) {
    const task = token.taskId ? this.state.tasks[token.taskId] : undefined;
    if (task) this.closeTask(task, "cancelled", null);
    this.leave(token);
  }

  /** End the instance: whatever is still open is cancelled; the matching workflow.* event goes out. */
  end(status: "completed" | "failed" | "cancelled", reason: string | null = null, actor = ENGINE_ACTOR) {
    for (const token of [...this.state.active]) this.drop(token);
    this.state.status = status;
    this.history(status, null, reason, actor);
    this.effects.push({ kind: "publish", type: `workflow.${status}`, data: {}, instance: true });
  }
}
