// Drives the pure engine the way the Durable Object does, keeping state between commands.
import { apply, start } from "../../src/engine/engine";
import type { Definition } from "../../src/engine/definition";
import type { Actor, Command, Effect, EngineState, Outcome } from "../../src/engine/state";
import { define } from "./fixtures";

export const T0 = new Date("2026-03-02T08:00:00.000Z");
export const staff = (sub = "dr-jones"): Actor => ({ sub, role: "staff" });
export const admin = (sub: string): Actor => ({ sub, role: "admin" });

export class Instance {
  readonly def: Definition;
  state: EngineState;
  effects: Effect[];
  now = T0;

  constructor(raw: unknown, input: Record<string, unknown> = {}, documentId = "doc-1") {
    this.def = define(raw);
    const outcome = start(this.def, documentId, input, { workflowId: "wf_test", now: this.now });
    if (!outcome.ok) throw new Error("start refused");
    this.state = outcome.state;
    this.effects = outcome.effects;
  }

  /** Apply a command; on success keep the new state and this command's effects. */
  send(command: Command, actor: Actor = staff(), at = this.now): Outcome {
    this.now = at;
    const outcome = apply(this.def, this.state, command, actor, { workflowId: "wf_test", now: at });
    if (outcome.ok) {
      this.state = outcome.state;
      this.effects = outcome.effects;
    }
    return outcome;
  }

  answer(outcome: string, actor: Actor = staff(), taskId = this.openTask().id) {
    return this.send({ type: "answer", taskId, outcome }, actor);
  }

  openTasks() {
    return Object.values(this.state.tasks);
  }

  openTask(step?: string) {
    const task = this.openTasks().find((t) => step === undefined || t.step === step);
    if (!task) throw new Error(`no open task${step ? ` at ${step}` : ""}`);
    return task;
  }

  activeSteps() {
    return this.state.active.map((t) => t.step);
  }

  published() {
    return this.effects.flatMap((e) => (e.kind === "publish" ? [e.type] : []));
  }

  of<K extends Effect["kind"]>(kind: K) {
    return this.effects.filter((e): e is Extract<Effect, { kind: K }> => e.kind === kind);
  }
}
