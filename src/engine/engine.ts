// The engine's two entry points, pure over (definition, state, command) → (new state,
// effects): `start` runs a new instance from `start` up to its first stop, `apply` answers a
// task, fires a timer, delivers an event, or cancels/fails the instance. The caller (the
// workflow's Durable Object) persists the state and applies the effects; it never decides.
import type { Assignee, Definition } from "./definition";
import { matchesAll } from "./paths";
import { Run, type RunContext } from "./runner";
import { lookup } from "./steps";
import type { Actor, Command, EngineState, Outcome, Refusal } from "./state";

export function initialState(documentId: string, input: Record<string, unknown>): EngineState {
  return { status: "in_progress", documentId, input, data: {}, active: [], tasks: {}, timers: {}, visits: {}, ended: 0, seq: 0 };
}

export function start(def: Definition, documentId: string, input: Record<string, unknown>, ctx: RunContext): Outcome {
  const run = new Run(def, initialState(documentId, input), ctx);
  run.effects.push({ kind: "publish", type: "workflow.created", data: {}, instance: true });
  run.enter(def.start);
  return { ok: true, state: run.state, effects: run.effects };
}

/** `{role}` is met by that role or admin; `{user}` by that `sub` alone. */
export const mayComplete = (assignee: Assignee, actor: Actor) =>
  "user" in assignee ? actor.sub === assignee.user : actor.role === assignee.role || actor.role === "admin";

const refuse = (code: Refusal["code"], message: string): Outcome => ({ ok: false, refusal: { code, message } });

export function apply(def: Definition, state: EngineState, command: Command, actor: Actor, ctx: RunContext): Outcome {
  const run = new Run(def, structuredClone(state), ctx);
  const done = (): Outcome => ({ ok: true, state: run.state, effects: run.effects });
  if (state.status !== "in_progress") {
    // Timers and events meeting an ended instance are simply spent; people get a 409.
    if (command.type === "timer" || command.type === "event") return done();
    return refuse("conflict", `Workflow is ${state.status}; it can no longer be changed`);
  }
  switch (command.type) {
    case "answer":
      return answer(run, command, actor) ?? done();
    case "timer":
      fireTimer(run, command.timerId);
      return done();
    case "event":
      deliverEvent(run, command.event);
      return done();
    case "cancel":
      run.end("cancelled", command.reason ?? null, actor.sub);
      return done();
    case "fail":
      run.end("failed", command.reason, actor.sub);
      return done();
  }
}

function answer(run: Run, command: Extract<Command, { type: "answer" }>, actor: Actor): Outcome | undefined {
  const task = run.state.tasks[command.taskId];
  if (!task) return refuse("conflict", "Task is not open");
  if (!mayComplete(task.assignee, actor)) return refuse("forbidden", "Only the task's assignee may complete it");
  if (!task.outcomes.includes(command.outcome)) return refuse("validation_error", `outcome must be one of: ${task.outcomes.join(", ")}`);
  if (task.answers.some((a) => a.actor === actor.sub)) return refuse("conflict", "You have already answered this task");

  task.answers.push({ actor: actor.sub, outcome: command.outcome, comment: command.comment ?? null, at: run.now });
  run.history("task_answered", task.step, command.comment ? `${command.outcome}: ${command.comment}` : command.outcome, actor.sub);
  const approve = task.outcomes[0];
  const approvals = task.answers.filter((a) => a.outcome === approve).length;
  if (command.outcome === approve && approvals < task.approvalsRequired) {
    run.saveTask(task);
    return undefined;
  }
  run.closeTask(task, "completed", command.outcome);
  run.publishTask("workflow.task_completed", task);
  const token = run.state.active.find((t) => t.taskId === task.id);
  if (token) run.leave(token);
  const { step, prefix } = lookup(run.def, task.step);
  if (step.type === "task") run.pass(prefix + (step.next[command.outcome] as string));
  return undefined;
}

function fireTimer(run: Run, timerId: string) {
  const timer = run.state.timers[timerId];
  const token = run.state.active.find((t) => t.timers.includes(timerId));
  if (!timer || !token) return; // already fired, or made obsolete: nothing to do
  delete run.state.timers[timerId];
  token.timers = token.timers.filter((id) => id !== timerId);
  run.effects.push({ kind: "cancelTimer", id: timerId });
  const { step, prefix } = lookup(run.def, timer.step);

  if (step.type === "wait") {
    run.history("timer_fired", timer.step, step.event ? "timed out waiting for the event" : `waited ${step.for}`);
    run.leave(token);
    return run.pass(prefix + (step.event && step.onTimeout ? step.onTimeout : step.next));
  }
  const task = token.taskId ? run.state.tasks[token.taskId] : undefined;
  if (step.type !== "task" || !task) return;
  run.history("timer_fired", timer.step, "task overdue");
  task.overdue = true;
  run.publishTask("workflow.task_overdue", task);
  const rule = step.onOverdue;
  if (rule === "fail") return run.end("failed", `task ${task.id} (${timer.step}) overdue`);
  if (rule && "goto" in rule) {
    run.closeTask(task, "cancelled", null);
    run.leave(token);
    return run.pass(prefix + rule.goto);
  }
  if (rule && "reassign" in rule) task.assignee = rule.reassign;
  run.saveTask(task);
}

function deliverEvent(run: Run, event: Extract<Command, { type: "event" }>["event"]) {
  for (const token of [...run.state.active]) {
    if (run.state.status !== "in_progress" || !run.state.active.includes(token) || !token.wait) continue;
    if (token.wait.type !== event.type || event.createdAt < token.wait.since || !matchesAll(token.wait.match, event)) continue;
    const { step, prefix } = lookup(run.def, token.step);
    run.history("event_received", token.step, `${event.type} ${event.id}`);
    run.leave(token);
    if (step.type === "wait") run.pass(prefix + step.next);
  }
}
