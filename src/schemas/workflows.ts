// Request and response schemas of the workflow endpoints, shared by the routes, the OpenAPI
// document and the tests. Every string, array and number is bounded.
import { z } from "@hono/zod-openapi";
import { listQuerySchema, pageLimitSchema, versionCursorSchema } from "../lib/pagination";
import { isoTime, listOf } from "./common";
import { HISTORY_ACTIONS, WORKFLOW_STATUSES } from "../db/schema";

export const MAX_STEPS = 50;
export const MAX_METADATA_BYTES = 8 * 1024;

const documentId = z.string().min(1).max(128).openapi({ example: "doc_123" });
const workflowType = z.string().min(1).max(128).openapi({ example: "invoice_approval" });
const assignedTo = z.string().min(1).max(256).openapi({ example: "user_42" });
const text1000 = z.string().min(1).max(1000);

// Metadata is free-form, so its size is bounded by its serialised form rather than by shape.
const metadata = z
  .record(z.string().max(128), z.unknown())
  .refine((value) => new TextEncoder().encode(JSON.stringify(value)).byteLength <= MAX_METADATA_BYTES, {
    message: `metadata must serialise to at most ${MAX_METADATA_BYTES} bytes of JSON`,
  })
  .openapi({ example: { clinic: "north" } });

export const workflowStatusSchema = z.enum(WORKFLOW_STATUSES);

export const createWorkflowSchema = z
  .strictObject({
    documentId,
    workflowType,
    steps: z
      .array(z.string().min(1).max(100))
      .min(1)
      .max(MAX_STEPS)
      .openapi({ example: ["review", "approve"] }),
    assignedTo: assignedTo.optional(),
    metadata: metadata.optional(),
  })
  .openapi("CreateWorkflow");

// null clears assignedTo or metadata; metadata is replaced as a whole, never merged.
// A template instance: its steps come from the template; `input` is what its steps read.
export const createInstanceSchema = z
  .strictObject({
    documentId,
    template: z
      .string()
      .regex(/^[a-z0-9_-]{1,64}$/)
      .openapi({ example: "controlled-drug-prescription" }),
    templateVersion: z.number().int().min(1).max(1_000_000).optional().openapi({ description: "default: the latest version" }),
    input: metadata.optional().openapi({ example: { schedule: "II", patientId: "pat_9" } }),
    assignedTo: assignedTo.optional(),
    metadata: metadata.optional(),
  })
  .openapi("CreateTemplateWorkflow");

/** Either a linear workflow (`workflowType` + `steps`) or a template instance (`template`). */
export const createWorkflowRequestSchema = z.union([createWorkflowSchema, createInstanceSchema]).openapi("CreateWorkflowRequest");

export const updateWorkflowSchema = z
  .strictObject({
    workflowType: workflowType.optional(),
    assignedTo: assignedTo.nullable().optional(),
    metadata: metadata.nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: "Give at least one of workflowType, assignedTo, metadata" })
  .openapi("UpdateWorkflow");

export const advanceWorkflowSchema = z
  .strictObject({
    comment: text1000.optional(),
    expectedStep: z.number().int().min(1).max(MAX_STEPS).optional().openapi({ description: "409 unless the workflow is at this step" }),
  })
  .openapi("AdvanceWorkflow");

export const cancelWorkflowSchema = z.strictObject({ reason: text1000.optional() }).openapi("CancelWorkflow");
export const failWorkflowSchema = z.strictObject({ reason: text1000 }).openapi("FailWorkflow");

export const documentIdParamSchema = z.object({
  documentId: documentId.openapi({ param: { name: "documentId", in: "path" } }),
});

export const workflowListQuerySchema = listQuerySchema.extend({
  status: workflowStatusSchema.optional(),
  documentId: documentId.optional(),
});

export const workflowSchema = z
  .object({
    id: z.string(),
    documentId: z.string(),
    workflowType: z.string(),
    steps: z.array(z.string()),
    currentStep: z.number().int(),
    totalSteps: z.number().int(),
    status: workflowStatusSchema,
    assignedTo: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    createdAt: isoTime,
    updatedAt: isoTime,
    completedAt: isoTime.nullable(),
    // Template instances only; linear workflows answer null and [].
    template: z.string().nullable(),
    templateVersion: z.number().int().nullable(),
    input: z.record(z.string(), z.unknown()).nullable(),
    data: z.record(z.string(), z.unknown()).nullable(),
    activeSteps: z.array(z.string()),
    openTasks: z.array(z.string()),
  })
  .openapi("Workflow");

export const workflowListSchema = listOf(workflowSchema, "WorkflowList");
export const documentWorkflowsSchema = z.object({ data: z.array(workflowSchema) }).openapi("DocumentWorkflows");

export const workflowStatsSchema = z
  .object({
    total: z.number().int(),
    byStatus: z.object(
      Object.fromEntries(WORKFLOW_STATUSES.map((s) => [s, z.number().int()])) as Record<(typeof WORKFLOW_STATUSES)[number], z.ZodNumber>,
    ),
  })
  .openapi("WorkflowStats");

export const historyEntrySchema = z
  .object({
    action: z.enum(HISTORY_ACTIONS),
    fromStep: z.number().int().nullable(),
    toStep: z.number().int().nullable(),
    actor: z.string(),
    comment: z.string().nullable(),
    at: isoTime,
    /** The step a template instance's entry is about; null for linear workflows. */
    step: z.string().nullable(),
  })
  .openapi("WorkflowHistoryEntry");

export const historyListSchema = listOf(historyEntrySchema, "WorkflowHistory");

/** History pages are oldest first by version; the cursor names the last version returned. */
export const historyQuerySchema = z.object({
  limit: pageLimitSchema.default(100),
  cursor: versionCursorSchema.optional(),
});

export type Workflow = z.infer<typeof workflowSchema>;
export type HistoryEntry = z.infer<typeof historyEntrySchema>;
export type CreateWorkflowInput = z.infer<typeof createWorkflowSchema>;
export type CreateInstanceInput = z.infer<typeof createInstanceSchema>;
export type UpdateWorkflowInput = z.infer<typeof updateWorkflowSchema>;
