// Who may call what: every route of the API, with the roles the contract allows and the status
// an allowed caller gets. test/foundation/access-matrix.test.ts fails when the app has a route
// this table does not list, so a new route must say here who may call it.
//
// Contract, "Auth and tenancy": viewer reads; staff = viewer + create/update/advance/cancel/fail
// workflows; admin = everything; service = publish events, create and advance workflows, read.
import type { Role } from "../../src/auth/roles";
import { prescription } from "../engine/fixtures";
import { type ApiResponse, type Client, client } from "./api";
import { seedDelivery, seedWorkflow } from "./seed";

export const ROLES: readonly Role[] = ["viewer", "staff", "service", "admin"];

const everyone: Role[] = ["viewer", "staff", "service", "admin"];
const adminOnly: Role[] = ["admin"];

/** Rows each cell starts from, in the caller's org. */
export interface AccessFixture {
  webhookId: string;
  /** A failed delivery of an active webhook: retryable. */
  deliveryId: string;
  eventId: string;
  workflowId: string;
  /** A saved template (the contract's prescription) and the open staff task of an instance of it. */
  templateKey: string;
  taskId: string;
}

export async function seedAccessFixture(org: string): Promise<AccessFixture> {
  // Subscribed to a type nothing below emits, so no delivery runs (and changes rows) mid-test.
  const delivery = await seedDelivery({ org, types: ["patient.deleted"], status: "failed", attempts: 5 });
  const workflow = await seedWorkflow(org);
  const admin = await client(org, "admin");
  const template = await admin.post("/api/v1/workflow-templates", { key: "rx", name: "Prescription", definition: prescription });
  const instance = await admin.post("/api/v1/workflows", { documentId: "rx-1", template: "rx", input: { patientId: "pat-1" } });
  if (template.status !== 201 || instance.status !== 201) throw new Error(`fixture: ${template.text} ${instance.text}`);
  return {
    webhookId: delivery.webhookId,
    deliveryId: delivery.deliveryId,
    eventId: delivery.eventId,
    workflowId: workflow.id,
    templateKey: "rx",
    taskId: instance.json.openTasks[0],
  };
}

export interface Access {
  roles: Role[];
  ok: number;
  /** Takes no token (`security: []`): a call without one gets `ok` too, not 401. */
  public?: true;
  ask: (as: Client, f: AccessFixture) => Promise<ApiResponse>;
}

/** Keyed "METHOD /path" with OpenAPI-style `{param}`s, as the app declares them. */
export const ACCESS_MATRIX: Record<string, Access> = {
  "GET /api/v1/webhooks/event-types": { roles: everyone, ok: 200, ask: (as) => as.get("/api/v1/webhooks/event-types") },
  "POST /api/v1/webhooks": {
    roles: adminOnly,
    ok: 201,
    ask: (as) => as.post("/api/v1/webhooks", { url: "https://receiver.example/hook", events: ["patient.created"] }),
  },
  "GET /api/v1/webhooks": { roles: everyone, ok: 200, ask: (as) => as.get("/api/v1/webhooks") },
  "GET /api/v1/webhooks/{id}": { roles: everyone, ok: 200, ask: (as, f) => as.get(`/api/v1/webhooks/${f.webhookId}`) },
  "PUT /api/v1/webhooks/{id}": {
    roles: adminOnly,
    ok: 200,
    ask: (as, f) => as.put(`/api/v1/webhooks/${f.webhookId}`, { description: "front desk" }),
  },
  "DELETE /api/v1/webhooks/{id}": { roles: adminOnly, ok: 204, ask: (as, f) => as.delete(`/api/v1/webhooks/${f.webhookId}`) },
  "POST /api/v1/webhooks/{id}/regenerate-secret": {
    roles: adminOnly,
    ok: 200,
    ask: (as, f) => as.post(`/api/v1/webhooks/${f.webhookId}/regenerate-secret`),
  },
  "POST /api/v1/webhooks/{id}/test": { roles: adminOnly, ok: 202, ask: (as, f) => as.post(`/api/v1/webhooks/${f.webhookId}/test`) },
  "GET /api/v1/webhooks/{id}/deliveries": { roles: everyone, ok: 200, ask: (as, f) => as.get(`/api/v1/webhooks/${f.webhookId}/deliveries`) },
  "POST /api/v1/webhooks/{id}/recover": {
    roles: adminOnly,
    ok: 202,
    ask: (as, f) => as.post(`/api/v1/webhooks/${f.webhookId}/recover`, { since: "2026-01-01T00:00:00.000Z" }),
  },
  "GET /api/v1/webhooks/{id}/stats": { roles: everyone, ok: 200, ask: (as, f) => as.get(`/api/v1/webhooks/${f.webhookId}/stats`) },
  "GET /api/v1/deliveries": { roles: everyone, ok: 200, ask: (as) => as.get("/api/v1/deliveries") },
  "GET /api/v1/deliveries/{id}": { roles: everyone, ok: 200, ask: (as, f) => as.get(`/api/v1/deliveries/${f.deliveryId}`) },
  "POST /api/v1/deliveries/{id}/retry": { roles: adminOnly, ok: 202, ask: (as, f) => as.post(`/api/v1/deliveries/${f.deliveryId}/retry`) },
  "POST /api/v1/events": {
    roles: ["service", "admin"],
    ok: 202,
    ask: (as) => as.post("/api/v1/events", { type: "invoice.paid", data: { invoiceId: "inv_1" } }),
  },
  "GET /api/v1/events": { roles: everyone, ok: 200, ask: (as) => as.get("/api/v1/events") },
  "GET /api/v1/events/{id}": { roles: everyone, ok: 200, ask: (as, f) => as.get(`/api/v1/events/${f.eventId}`) },
  "POST /api/v1/workflows": {
    roles: ["staff", "service", "admin"],
    ok: 201,
    ask: (as) => as.post("/api/v1/workflows", { documentId: "d", workflowType: "t", steps: ["a", "b"] }),
  },
  "GET /api/v1/workflows": { roles: everyone, ok: 200, ask: (as) => as.get("/api/v1/workflows") },
  "GET /api/v1/workflows/stats": { roles: everyone, ok: 200, ask: (as) => as.get("/api/v1/workflows/stats") },
  "GET /api/v1/workflows/document/{documentId}": { roles: everyone, ok: 200, ask: (as) => as.get("/api/v1/workflows/document/doc-1") },
  "GET /api/v1/workflows/{id}": { roles: everyone, ok: 200, ask: (as, f) => as.get(`/api/v1/workflows/${f.workflowId}`) },
  "GET /api/v1/workflows/{id}/history": { roles: everyone, ok: 200, ask: (as, f) => as.get(`/api/v1/workflows/${f.workflowId}/history`) },
  "PUT /api/v1/workflows/{id}": {
    roles: ["staff", "admin"],
    ok: 200,
    ask: (as, f) => as.put(`/api/v1/workflows/${f.workflowId}`, { assignedTo: "x" }),
  },
  "POST /api/v1/workflows/{id}/advance": {
    roles: ["staff", "service", "admin"],
    ok: 200,
    ask: (as, f) => as.post(`/api/v1/workflows/${f.workflowId}/advance`, {}),
  },
  "POST /api/v1/workflows/{id}/cancel": {
    roles: ["staff", "admin"],
    ok: 200,
    ask: (as, f) => as.post(`/api/v1/workflows/${f.workflowId}/cancel`, {}),
  },
  "POST /api/v1/workflows/{id}/fail": {
    roles: ["staff", "admin"],
    ok: 200,
    ask: (as, f) => as.post(`/api/v1/workflows/${f.workflowId}/fail`, { reason: "r" }),
  },
  "POST /api/v1/workflow-templates": {
    roles: adminOnly,
    ok: 201,
    ask: (as) => as.post("/api/v1/workflow-templates", { key: "rx2", name: "Prescription 2", definition: prescription }),
  },
  "GET /api/v1/workflow-templates": { roles: everyone, ok: 200, ask: (as) => as.get("/api/v1/workflow-templates") },
  "GET /api/v1/workflow-templates/{key}": { roles: everyone, ok: 200, ask: (as, f) => as.get(`/api/v1/workflow-templates/${f.templateKey}`) },
  "GET /api/v1/workflow-templates/{key}/versions": {
    roles: everyone,
    ok: 200,
    ask: (as, f) => as.get(`/api/v1/workflow-templates/${f.templateKey}/versions`),
  },
  "DELETE /api/v1/workflow-templates/{key}": {
    roles: adminOnly,
    ok: 204,
    ask: (as, f) => as.delete(`/api/v1/workflow-templates/${f.templateKey}`),
  },
  "POST /api/v1/portal-access": { roles: ["service", "admin"], ok: 201, ask: (as) => as.post("/api/v1/portal-access", {}) },
  "POST /api/v1/portal-access/exchange": {
    roles: everyone,
    ok: 200,
    public: true,
    ask: async (as) => {
      const link = await (await client(as.org, "admin")).post("/api/v1/portal-access", {});
      return as.post("/api/v1/portal-access/exchange", { code: new URL(link.json.url).hash.slice("#code=".length) });
    },
  },
  // Only under ENVIRONMENT=development; the tests run as "test", where it is a 404 for everyone.
  "GET /api/v1/dev/sign-in": { roles: everyone, ok: 404, public: true, ask: (as) => as.get("/api/v1/dev/sign-in") },
  "POST /api/v1/dev/sign-in": { roles: everyone, ok: 404, public: true, ask: (as) => as.post("/api/v1/dev/sign-in", {}) },
  "GET /api/v1/tasks": { roles: everyone, ok: 200, ask: (as) => as.get("/api/v1/tasks") },
  "GET /api/v1/tasks/{id}": { roles: everyone, ok: 200, ask: (as, f) => as.get(`/api/v1/tasks/${f.taskId}`) },
  // The guard lets any reader in; the task's assignee ({role: "staff"}, met by staff or admin) decides.
  "POST /api/v1/tasks/{id}/complete": {
    roles: ["staff", "admin"],
    ok: 200,
    ask: (as, f) => as.post(`/api/v1/tasks/${f.taskId}/complete`, { outcome: "approve" }),
  },
};
