// What the engine knows about one running instance (stored as JSON with the workflow row),
// the commands it accepts and the effects it asks for. Effects are data: the Durable Object
// turns them into D1 rows (tasks, history, events + deliveries, emails) and its own timers.
import type { WorkflowStatus } from "../db/schema";
import type { Role } from "../auth/roles";
import type { EventType } from "../events/catalog";
import type { Assignee } from "./definition";

export interface Answer {
  actor: string;
  outcome: string;
  comment: string | null;
  at: string;
}

export interface TaskState {
  id: string;
  /** Qualified step id: `review`, or `ask/0/pharmacy` inside branch 0 of parallel `ask`. */
  step: string;
  title: string;
  assignee: Assignee;
  approvalsRequired: number;
  outcomes: string[];
  answers: Answer[];
  status: "open" | "completed" | "cancelled";
  outcome: string | null;
  dueAt: string | null;
  overdue: boolean;
  createdAt: string;
  completedAt: string | null;
}

/** A step the instance is stopped at: a task, a wait, or a parallel step with branches running. */
export interface Token {
  step: string;
  visit: number;
  taskId?: string;
  timers: string[];
  wait?: { type: string; match: Record<string, unknown>; since: string };
  branches?: ("running" | "ended" | "cancelled")[];
}

export interface TimerState {
  at: string;
  step: string;
  kind: "due" | "wait";
}

export interface EngineState {
  /** The same statuses as a linear workflow's. */
  status: WorkflowStatus;
  documentId: string;
  input: Record<string, unknown>;
  data: Record<string, unknown>;
  active: Token[];
  /** Open tasks only; a task that closes leaves with a `task` effect carrying its final form. */
  tasks: Record<string, TaskState>;
  /** Pending timers by id; the object fires a timer only while it is listed here. */
  timers: Record<string, TimerState>;
  visits: Record<string, number>;
  /** Steps ended so far (the instance's `currentStep`). */
  ended: number;
  /** Counter for task ids, so a replayed run names its tasks the same. */
  seq: number;
}

export interface Actor {
  sub: string;
  role: Role;
}

export type Command =
  | { type: "answer"; taskId: string; outcome: string; comment?: string }
  | { type: "timer"; timerId: string }
  | { type: "event"; event: { id: string; type: string; data: Record<string, unknown>; createdAt: string } }
  | { type: "cancel"; reason?: string }
  | { type: "fail"; reason: string };

export type HistoryAction =
  | "step_entered"
  | "task_answered"
  | "timer_fired"
  | "action_taken"
  | "event_received"
  | "completed"
  | "cancelled"
  | "failed";

export type Effect =
  | { kind: "history"; action: HistoryAction; step: string | null; actor: string; comment: string | null }
  /** `instance: true` events carry the instance as the API shows it (the object adds it). */
  | { kind: "publish"; type: EventType; data: Record<string, unknown>; instance?: boolean }
  | { kind: "task"; task: TaskState }
  | { kind: "setTimer"; id: string; at: string }
  | { kind: "cancelTimer"; id: string }
  | { kind: "email"; key: string; to: string; subject: string; text: string }
  | { kind: "waitFor"; key: string; type: string }
  | { kind: "unwait"; key: string };

export type Refusal = { code: "forbidden" | "conflict" | "validation_error"; message: string };
export type Outcome = { ok: true; state: EngineState; effects: Effect[] } | { ok: false; refusal: Refusal };

/** The actor recorded for what the engine does by itself (automated steps, timers, events). */
export const ENGINE_ACTOR = "engine";
