// The event catalog: every type a webhook can subscribe to, with a description and the zod
// schema of its `data`. This file is the one source for validation, `event-types` and OpenAPI.
// Each schema names the ids a receiver needs and lets the publisher add more fields: the
// record's snapshot travels in `data`, bounded by the request body limit.
import { z } from "@hono/zod-openapi";

const id = z.string().min(1).max(128);
const snapshot = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);

const patient = snapshot({ patientId: id, clientId: id.optional(), name: z.string().max(200).optional(), species: z.string().max(100).optional() });
const client = snapshot({ clientId: id, name: z.string().max(200).optional(), email: z.string().max(320).optional() });
const appointment = snapshot({ appointmentId: id, patientId: id.optional(), startsAt: z.string().max(64).optional() });
const invoice = snapshot({
  invoiceId: id,
  clientId: id.optional(),
  amountCents: z.number().int().optional(),
  currency: z.string().max(8).optional(),
});
const medicalRecord = snapshot({ recordId: id, patientId: id.optional() });
const labTest = snapshot({ labTestId: id, patientId: id.optional(), testCode: z.string().max(100).optional() });
const prescription = snapshot({ prescriptionId: id, patientId: id.optional(), medication: z.string().max(200).optional() });
const document = snapshot({ documentId: id, title: z.string().max(500).optional() });
// Workflow events carry the workflow as the API returns it.
const workflow = snapshot({
  id,
  documentId: id,
  workflowType: z.string(),
  status: z.string(),
  currentStep: z.number().int(),
  totalSteps: z.number().int(),
});
const test = snapshot({ webhookId: id, message: z.string().max(500) });

export const EVENT_CATALOG = {
  "patient.created": { description: "A patient was registered.", data: patient },
  "patient.updated": { description: "A patient's details changed.", data: patient },
  "patient.deleted": { description: "A patient was removed.", data: patient },
  "client.created": { description: "A client (pet owner) was registered.", data: client },
  "client.updated": { description: "A client's details changed.", data: client },
  "client.deleted": { description: "A client was removed.", data: client },
  "appointment.created": { description: "An appointment was booked.", data: appointment },
  "appointment.updated": { description: "An appointment was changed.", data: appointment },
  "appointment.cancelled": { description: "An appointment was cancelled.", data: appointment },
  "appointment.completed": { description: "An appointment took place.", data: appointment },
  "invoice.created": { description: "An invoice was issued.", data: invoice },
  "invoice.paid": { description: "An invoice was paid in full.", data: invoice },
  "invoice.overdue": { description: "An invoice passed its due date unpaid.", data: invoice },
  "medical_record.created": { description: "A medical record entry was written.", data: medicalRecord },
  "medical_record.updated": { description: "A medical record entry was amended.", data: medicalRecord },
  "lab_test.ordered": { description: "A lab test was ordered.", data: labTest },
  "lab_test.completed": { description: "A lab test's results arrived.", data: labTest },
  "prescription.created": { description: "A prescription was written.", data: prescription },
  "prescription.refilled": { description: "A prescription was refilled.", data: prescription },
  "document.created": { description: "A document was created.", data: document },
  "document.updated": { description: "A document was changed.", data: document },
  "workflow.created": { description: "A document workflow started.", data: workflow },
  "workflow.advanced": { description: "A workflow moved to its next step.", data: workflow },
  "workflow.completed": { description: "A workflow's last step was approved.", data: workflow },
  "workflow.cancelled": { description: "A workflow was cancelled.", data: workflow },
  "workflow.failed": { description: "A workflow was marked failed.", data: workflow },
  "webhook.test": { description: "A test event sent by POST /webhooks/:id/test.", data: test },
} as const satisfies Record<string, { description: string; data: z.ZodType }>;

export type EventType = keyof typeof EVENT_CATALOG;
export const EVENT_TYPES = Object.keys(EVENT_CATALOG) as [EventType, ...EventType[]];
/** What a webhook may subscribe to: a catalog type, or "*" for all of them. */
export const WILDCARD = "*";

export const isEventType = (type: string): type is EventType => Object.hasOwn(EVENT_CATALOG, type);
