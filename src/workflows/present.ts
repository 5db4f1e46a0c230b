// How a stored workflow looks to the API and to event receivers: ISO times, no internals
// (org, version). One place, so the HTTP answer and the `workflow.*` event data never drift.
import type { HistoryRow, WorkflowRow } from "../db/schema";
import type { HistoryEntry, Workflow } from "../schemas/workflows";

export const toWorkflow = (row: WorkflowRow): Workflow => ({
  id: row.id,
  documentId: row.documentId,
  workflowType: row.workflowType,
  steps: row.steps,
  currentStep: row.currentStep,
  totalSteps: row.totalSteps,
  status: row.status,
  assignedTo: row.assignedTo ?? null,
  metadata: row.metadata ?? null,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  completedAt: row.completedAt?.toISOString() ?? null,
  template: row.template ?? null,
  templateVersion: row.templateVersion ?? null,
  input: row.engine?.input ?? null,
  data: row.engine?.data ?? null,
  activeSteps: row.engine?.active.map((t) => t.step) ?? [],
  openTasks: Object.keys(row.engine?.tasks ?? {}),
});

export const toHistoryEntry = (row: HistoryRow): HistoryEntry => ({
  action: row.action,
  fromStep: row.fromStep ?? null,
  toStep: row.toStep ?? null,
  actor: row.actor,
  comment: row.comment ?? null,
  at: row.at.toISOString(),
  step: row.step ?? null,
});

/** `data` of a workflow.* event: the workflow as the API returns it, plus the change that made it. */
export const toEventData = (row: WorkflowRow, change: HistoryRow) => ({
  ...toWorkflow(row),
  change: toHistoryEntry(change),
});
