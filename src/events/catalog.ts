// The event catalog: every type a webhook can subscribe to, with a description and the zod
// schema of its `data`. This file is the one source for validation, `event-types` and OpenAPI.
// Each schema names the ids a receiver needs and lets the publisher add more fields: the
// record's snapshot travels in `data`, bounded by the request body limit.
import { z } from "@hono/zod-openapi";

const id = z.string().min(1).max(128);
const snapshot = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);

// Each data schema with the example `event-types` shows and a test send of that type delivers.
const kind = <T extends z.ZodType>(data: T, example: z.input<T>) => ({ data, example });

const patient = kind(
  snapshot({ patientId: id, clientId: id.optional(), name: z.string().max(200).optional(), species: z.string().max(100).optional() }),
  { patientId: "pat_123", clientId: "cli_456", name: "Rex", species: "dog" },
);
const client = kind(snapshot({ clientId: id, name: z.string().max(200).optional(), email: z.string().max(320).optional() }), {
  clientId: "cli_456",
  name: "Ada Lovelace",
  email: "ada@example.com",
});
const appointment = kind(snapshot({ appointmentId: id, patientId: id.optional(), startsAt: z.string().max(64).optional() }), {
  appointmentId: "apt_789",
  patientId: "pat_123",
  startsAt: "2026-12-01T09:30:00.000Z",
});
const invoice = kind(
  snapshot({ invoiceId: id, clientId: id.optional(), amountCents: z.number().int().optional(), currency: z.string().max(8).optional() }),
  { invoiceId: "inv_321", clientId: "cli_456", amountCents: 12500, currency: "USD" },
);
const medicalRecord = kind(snapshot({ recordId: id, patientId: id.optional() }), { recordId: "rec_654", patientId: "pat_123" });
const labTest = kind(snapshot({ labTestId: id, patientId: id.optional(), testCode: z.string().max(100).optional() }), {
  labTestId: "lab_987",
  patientId: "pat_123",
  testCode: "CBC",
});
const prescription = kind(snapshot({ prescriptionId: id, patientId: id.optional(), medication: z.string().max(200).optional() }), {
  prescriptionId: "rx_111",
  patientId: "pat_123",
  medication: "Carprofen 75 mg",
});
const document = kind(snapshot({ documentId: id, title: z.string().max(500).optional() }), {
  documentId: "doc_222",
  title: "Vaccination certificate",
});
// Workflow events carry the workflow as the API returns it.
const workflow = kind(
  snapshot({ id, documentId: id, workflowType: z.string(), status: z.string(), currentStep: z.number().int(), totalSteps: z.number().int() }),
  { id: "wf_333", documentId: "doc_222", workflowType: "approval", status: "in_progress", currentStep: 1, totalSteps: 3 },
);
const test = kind(snapshot({ webhookId: id, message: z.string().max(500) }), { webhookId: "wh_0123abcd", message: "Test event from Purple Cross" });
const disabled = kind(snapshot({ webhookId: id, url: z.string().max(2048), reason: z.string().max(500) }), {
  webhookId: "wh_0123abcd",
  url: "https://hooks.example.com/purple-cross",
  reason: "endpoint answered 410 Gone",
});
// Task events carry the task as GET /tasks/:id answers it.
const task = kind(snapshot({ taskId: id, workflowId: id, step: z.string(), status: z.string() }), {
  taskId: "tsk_333_1",
  workflowId: "wf_333",
  step: "admin_approval",
  status: "open",
});

export const EVENT_CATALOG = {
  "patient.created": { description: "A patient was registered.", ...patient },
  "patient.updated": { description: "A patient's details changed.", ...patient },
  "patient.deleted": { description: "A patient was removed.", ...patient },
  "client.created": { description: "A client (pet owner) was registered.", ...client },
  "client.updated": { description: "A client's details changed.", ...client },
  "client.deleted": { description: "A client was removed.", ...client },
  "appointment.created": { description: "An appointment was booked.", ...appointment },
  "appointment.updated": { description: "An appointment was changed.", ...appointment },
  "appointment.cancelled": { description: "An appointment was cancelled.", ...appointment },
  "appointment.completed": { description: "An appointment took place.", ...appointment },
  "invoice.created": { description: "An invoice was issued.", ...invoice },
  "invoice.paid": { description: "An invoice was paid in full.", ...invoice },
  "invoice.overdue": { description: "An invoice passed its due date unpaid.", ...invoice },
  "medical_record.created": { description: "A medical record entry was written.", ...medicalRecord },
  "medical_record.updated": { description: "A medical record entry was amended.", ...medicalRecord },
  "lab_test.ordered": { description: "A lab test was ordered.", ...labTest },
  "lab_test.completed": { description: "A lab test's results arrived.", ...labTest },
  "prescription.created": { description: "A prescription was written.", ...prescription },
  "prescription.refilled": { description: "A prescription was refilled.", ...prescription },
  "document.created": { description: "A document was created.", ...document },
  "document.updated": { description: "A document was changed.", ...document },
  "workflow.created": { description: "A document workflow started.", ...workflow },
  "workflow.advanced": { description: "A workflow moved to its next step.", ...workflow },
  "workflow.completed": { description: "A workflow's last step was approved.", ...workflow },
  "workflow.cancelled": { description: "A workflow was cancelled.", ...workflow },
  "workflow.failed": { description: "A workflow was marked failed.", ...workflow },
  "workflow.task_created": { description: "A template workflow opened a task for a person or role.", ...task },
  "workflow.task_completed": { description: "A workflow task got its deciding answer.", ...task },
  "workflow.task_overdue": { description: "A workflow task passed its due time while open.", ...task },
  "webhook.test": { description: "A test event sent by POST /webhooks/:id/test.", ...test },
  "webhook.disabled": {
    description: "The service disabled another webhook of the organisation (410 Gone, or too many failed deliveries).",
    ...disabled,
  },
} as const satisfies Record<string, { description: string; data: z.ZodType; example: Record<string, unknown> }>;

export type EventType = keyof typeof EVENT_CATALOG;
export const EVENT_TYPES = Object.keys(EVENT_CATALOG) as [EventType, ...EventType[]];
/** What a webhook may subscribe to: a catalog type, or "*" for all of them. */
export const WILDCARD = "*";

export const isEventType = (type: string): type is EventType => Object.hasOwn(EVENT_CATALOG, type);
