// Mounts one sub-app per resource under /api/v1.
import { createRouter } from "../lib/router";
import { eventTypesRoute } from "./event-types";
import { workflowsRoute } from "./workflows";

export function apiRoutes() {
  const api = createRouter();
  api.route("/webhooks", eventTypesRoute());
  api.route("/workflows", workflowsRoute());
  return api;
}
