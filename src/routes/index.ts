// Mounts one sub-app per resource under /api/v1.
import { createRouter } from "../lib/router";
import { deliveriesRoute } from "./deliveries";
import { eventTypesRoute } from "./event-types";
import { eventsRoute } from "./events";
import { portalAccessRoute } from "./portal-access";
import { webhookActionsRoute } from "./webhook-actions";
import { webhookHealthRoute } from "./webhook-health";
import { webhooksRoute } from "./webhooks";
import { tasksRoute } from "./tasks";
import { workflowTemplatesRoute } from "./workflow-templates";
import { workflowsRoute } from "./workflows";

export function apiRoutes() {
  const api = createRouter();
  // event-types first, so `/webhooks/event-types` never reaches `/webhooks/{id}`.
  api.route("/webhooks", eventTypesRoute());
  api.route("/webhooks", webhooksRoute());
  api.route("/webhooks", webhookActionsRoute());
  api.route("/webhooks", webhookHealthRoute());
  api.route("/deliveries", deliveriesRoute());
  api.route("/events", eventsRoute());
  api.route("/workflows", workflowsRoute());
  api.route("/workflow-templates", workflowTemplatesRoute());
  api.route("/tasks", tasksRoute());
  api.route("/portal-access", portalAccessRoute());
  return api;
}
