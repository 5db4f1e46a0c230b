// The workflow state machine, pure: given where a workflow is and what a caller asks, the
// state it moves to, the history action it records and the event it emits — or why it may
// not move (always a 409 for the API). The Durable Object applies the answer; this module
// never touches storage, so every (status, action) pair is table-tested in isolation.
import type { HistoryAction, WorkflowStatus } from "../db/schema";

export type WorkflowAction = "advance" | "cancel" | "fail" | "update";
export type WorkflowEventType = "workflow.created" | "workflow.advanced" | "workflow.completed" | "workflow.cancelled" | "workflow.failed";

export interface StepState {
  status: WorkflowStatus;
  currentStep: number;
  totalSteps: number;
}

export type Transition =
  | {
      ok: true;
      status: WorkflowStatus;
      currentStep: number;
      /** True only for the advance made at the last step: the caller sets completedAt. */
      completes: boolean;
      historyAction: HistoryAction;
      fromStep: number;
      toStep: number;
      /** `update` emits no event: the catalog has no workflow.updated. */
      event: WorkflowEventType | null;
    }
  | { ok: false; reason: string };

/** The events an action may emit (which one depends on the state it finds). */
export const EVENTS_OF: Record<WorkflowAction, WorkflowEventType[]> = {
  advance: ["workflow.advanced", "workflow.completed"],
  cancel: ["workflow.cancelled"],
  fail: ["workflow.failed"],
  update: [],
};

export const isTerminal = (status: WorkflowStatus) => status !== "in_progress";

/**
 * One step of the machine. N steps take exactly N advances: advances at steps 1..N-1 move one
 * step on; the advance at step N completes the workflow and leaves currentStep at N. The
 * completing advance emits only `workflow.completed` (it moves to no next step).
 */
export function transition(state: StepState, action: WorkflowAction, expectedStep?: number): Transition {
  const { status, currentStep, totalSteps } = state;
  if (isTerminal(status)) {
    return { ok: false, reason: `Workflow is ${status}; it can no longer be changed` };
  }
  if (expectedStep !== undefined && expectedStep !== currentStep) {
    return { ok: false, reason: `Workflow is at step ${currentStep}, not ${expectedStep}` };
  }
  const same = { fromStep: currentStep, toStep: currentStep, completes: false } as const;
  switch (action) {
    case "advance":
      if (currentStep >= totalSteps) {
        return {
          ok: true,
          status: "completed",
          currentStep: totalSteps,
          historyAction: "completed",
          event: "workflow.completed",
          fromStep: currentStep,
          toStep: totalSteps,
          completes: true,
        };
      }
      return {
        ok: true,
        status: "in_progress",
        currentStep: currentStep + 1,
        historyAction: "advanced",
        event: "workflow.advanced",
        fromStep: currentStep,
        toStep: currentStep + 1,
        completes: false,
      };
    case "cancel":
      return { ok: true, status: "cancelled", currentStep, historyAction: "cancelled", event: "workflow.cancelled", ...same };
    case "fail":
      return { ok: true, status: "failed", currentStep, historyAction: "failed", event: "workflow.failed", ...same };
    case "update":
      return { ok: true, status, currentStep, historyAction: "updated", event: null, ...same };
  }
}
