// Definitions shared by the engine's table tests, including the contract's prescription example.
import type { Definition } from "../../src/engine/definition";
import { checkDefinition } from "../../src/engine/check";

/** Parse through the checker, so fixtures get the same defaults (approvals, outcomes, join) as saved templates. */
export function define(raw: unknown): Definition {
  const result = checkDefinition(raw);
  if (!result.ok) throw new Error(`fixture rejected: ${JSON.stringify(result.details)}`);
  return result.definition;
}

export const prescription = {
  start: "vet_review",
  steps: {
    vet_review: {
      type: "task",
      title: "Vet reviews the prescription",
      assignee: { role: "staff" },
      next: { approve: "schedule", reject: "rejected" },
    },
    schedule: {
      type: "choice",
      choices: [{ path: "input.schedule", eq: "II", next: "admin_approval" }],
      default: "record",
    },
    admin_approval: {
      type: "task",
      title: "Two admins approve a schedule II drug",
      assignee: { role: "admin" },
      approvals: 2,
      dueIn: "PT4H",
      onOverdue: { reassign: { user: "owner" } },
      next: { approve: "record", reject: "rejected" },
    },
    record: {
      type: "action",
      emit: { type: "prescription.created", data: { prescriptionId: { $ref: "documentId" }, patientId: { $ref: "input.patientId" } } },
      set: { "data.approvedAt": { $ref: "now" } },
      next: "done",
    },
    done: { type: "succeed" },
    rejected: { type: "fail", reason: "prescription rejected" },
  },
};

export const labReview = {
  start: "wait_result",
  steps: {
    wait_result: {
      type: "wait",
      event: { type: "lab_test.completed", match: { "data.labTestId": { $ref: "input.labTestId" } } },
      timeout: "P2D",
      next: "review",
      onTimeout: "chase_lab",
    },
    chase_lab: { type: "action", email: { to: "lab@clinic.example", subject: "Result missing", text: { $ref: "input.labTestId" } }, next: "gave_up" },
    gave_up: { type: "fail", reason: "no lab result in 2 days" },
    review: { type: "task", title: "Review the lab result", assignee: { role: "staff" }, outcomes: ["seen"], next: { seen: "done" } },
    done: { type: "succeed" },
  },
};

export const parallelAsk = (join: "all" | "any" | number, branches = 2) => ({
  start: "ask",
  steps: {
    ask: {
      type: "parallel",
      join,
      branches: Array.from({ length: branches }, (_, i) => ({
        start: "t",
        steps: {
          t: { type: "task", title: `branch ${i}`, assignee: { role: "staff" }, next: { approve: "ok", reject: "no" } },
          ok: { type: "succeed" },
          no: { type: "fail", reason: `branch ${i} refused` },
        },
      })),
      next: "after",
    },
    after: { type: "task", title: "After the join", assignee: { role: "staff" }, outcomes: ["done"], next: { done: "end" } },
    end: { type: "succeed" },
  },
});
