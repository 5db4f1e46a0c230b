import { describe, expect, it } from "vitest";
import { WORKFLOW_STATUSES } from "../../src/db/schema";
import { EVENTS_OF, transition, type WorkflowAction } from "../../src/workflows/transitions";

const ACTIONS: WorkflowAction[] = ["advance", "cancel", "fail", "update"];

describe("transition: every (status, action) pair", () => {
  // From in_progress at step 2 of 3: what each action yields.
  const fromInProgress = {
    advance: {
      status: "in_progress",
      currentStep: 3,
      historyAction: "advanced",
      event: "workflow.advanced",
      fromStep: 2,
      toStep: 3,
      completes: false,
    },
    cancel: {
      status: "cancelled",
      currentStep: 2,
      historyAction: "cancelled",
      event: "workflow.cancelled",
      fromStep: 2,
      toStep: 2,
      completes: false,
    },
    fail: { status: "failed", currentStep: 2, historyAction: "failed", event: "workflow.failed", fromStep: 2, toStep: 2, completes: false },
    update: { status: "in_progress", currentStep: 2, historyAction: "updated", event: null, fromStep: 2, toStep: 2, completes: false },
  } as const;

  for (const action of ACTIONS) {
    it(`in_progress + ${action}`, () => {
      expect(transition({ status: "in_progress", currentStep: 2, totalSteps: 3 }, action)).toEqual({ ok: true, ...fromInProgress[action] });
    });
  }

  for (const status of WORKFLOW_STATUSES.filter((s) => s !== "in_progress")) {
    for (const action of ACTIONS) {
      it(`${status} + ${action} is refused`, () => {
        const result = transition({ status, currentStep: 3, totalSteps: 3 }, action);
        expect(result).toEqual({ ok: false, reason: `Workflow is ${status}; it can no longer be changed` });
      });
    }
  }
});

describe("step semantics", () => {
  it("the advance at the last step completes and keeps currentStep at totalSteps", () => {
    expect(transition({ status: "in_progress", currentStep: 3, totalSteps: 3 }, "advance")).toEqual({
      ok: true,
      status: "completed",
      currentStep: 3,
      historyAction: "completed",
      event: "workflow.completed",
      fromStep: 3,
      toStep: 3,
      completes: true,
    });
  });

  it("a one-step workflow completes on its first advance", () => {
    const result = transition({ status: "in_progress", currentStep: 1, totalSteps: 1 }, "advance");
    expect(result).toMatchObject({ ok: true, status: "completed", currentStep: 1, completes: true });
  });

  it("N steps take exactly N advances", () => {
    for (const n of [1, 2, 5, 50]) {
      let state = { status: "in_progress" as const, currentStep: 1, totalSteps: n } as Parameters<typeof transition>[0];
      let advances = 0;
      while (state.status === "in_progress") {
        const t = transition(state, "advance");
        if (!t.ok) throw new Error(t.reason);
        advances++;
        state = { status: t.status, currentStep: t.currentStep, totalSteps: n };
      }
      expect(advances).toBe(n);
      expect(state).toEqual({ status: "completed", currentStep: n, totalSteps: n });
      expect(transition(state, "advance").ok).toBe(false);
    }
  });
});

describe("expectedStep", () => {
  const state = { status: "in_progress" as const, currentStep: 2, totalSteps: 4 };

  it("matching step passes", () => {
    expect(transition(state, "advance", 2)).toMatchObject({ ok: true, currentStep: 3 });
  });

  it.each([1, 3, 0, 99])("stale step %i is refused", (expected) => {
    expect(transition(state, "advance", expected)).toEqual({ ok: false, reason: `Workflow is at step 2, not ${expected}` });
  });

  it("a terminal workflow reports its status before any step mismatch", () => {
    const result = transition({ status: "completed", currentStep: 4, totalSteps: 4 }, "advance", 1);
    expect(result).toEqual({ ok: false, reason: "Workflow is completed; it can no longer be changed" });
  });
});

describe("EVENTS_OF", () => {
  // The object looks up subscribers of these before it knows which event a change emits; an
  // event missing here would be refused at write time (webhooks/subscribers.ts).
  it("lists every event each action can emit, from any step", () => {
    for (const action of ACTIONS) {
      for (let currentStep = 1; currentStep <= 3; currentStep++) {
        const step = transition({ status: "in_progress", currentStep, totalSteps: 3 }, action);
        if (step.ok && step.event) expect(EVENTS_OF[action]).toContain(step.event);
      }
    }
  });
});
