import { z } from "@hono/zod-openapi";
import { EVENT_TYPE_DESCRIPTIONS } from "../events/json-schema";
import { apiRoute } from "../lib/route";
import { createRouter } from "../lib/router";
import { json } from "../schemas/common";
import { eventTypeSchema } from "../schemas/webhooks";

const eventTypeListSchema = z.object({ data: z.array(eventTypeSchema) }).openapi("EventTypeList");

const listEventTypesRoute = apiRoute({
  method: "get",
  path: "/event-types",
  operationId: "listEventTypes",
  tag: "Webhooks",
  permission: "read",
  summary: "The event catalog, with each type's data schema and an example",
  description: "Every type a webhook can subscribe to (or `*`, or `resource.*`). The catalog is the same for every organisation.",
  responses: { 200: { description: "Every event type", content: json(eventTypeListSchema) } },
});

export const eventTypesRoute = () => createRouter().openapi(listEventTypesRoute, (c) => c.json({ data: [...EVENT_TYPE_DESCRIPTIONS] }, 200));
