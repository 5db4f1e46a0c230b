// Starting a workflow needs no Durable Object: its id is new, so nothing else can change it
// yet. The row, its "created" history row, the in_progress counter and the workflow.created
// event with its delivery rows commit in one batch; deliveries are enqueued after.
import type { Db } from "../db/client";
import { insertWorkflow } from "../db/repositories/workflows";
import type { HistoryRow, WorkflowRow } from "../db/schema";
import { commitAndEnqueue } from "../delivery/queue";
import type { Principal } from "../env";
import { enqueuedIds, prepareEvent } from "../events/publish";
import { newId } from "../lib/ids";
import { withSubscribers } from "../webhooks/subscribers";
import type { CreateWorkflowInput, Workflow } from "../schemas/workflows";
import { toEventData, toWorkflow } from "./present";

export async function createWorkflow(db: Db, queue: Queue, principal: Principal, input: CreateWorkflowInput, now = new Date()): Promise<Workflow> {
  const row: WorkflowRow = {
    id: newId("wf"),
    org: principal.org,
    documentId: input.documentId,
    workflowType: input.workflowType,
    steps: input.steps,
    currentStep: 1,
    totalSteps: input.steps.length,
    status: "in_progress",
    assignedTo: input.assignedTo ?? null,
    metadata: input.metadata ?? null,
    template: null,
    templateVersion: null,
    engine: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
    completedAt: null,
  };
  const created: HistoryRow = {
    workflowId: row.id,
    version: 1,
    org: row.org,
    action: "created",
    fromStep: null,
    toStep: 1,
    actor: principal.sub,
    comment: null,
    at: now,
    step: null,
  };
  const statements = insertWorkflow(db, row, created);
  // Routed with the isolate's subscribers, guarded (webhooks/subscribers.ts). A template
  // trigger on workflow.created hears of it now (else the cron sweep enqueues it).
  await withSubscribers(db, row.org, ["workflow.created"], async (snapshot) => {
    const event = await prepareEvent(db, row.org, { type: "workflow.created", data: toEventData(row, created) }, { now, snapshot });
    await commitAndEnqueue(db, queue, row.org, [...statements, ...event.statements], (results) => enqueuedIds(event, results, statements.length));
  });
  return toWorkflow(row);
}
