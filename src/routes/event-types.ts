import { z } from "@hono/zod-openapi";
import { EVENT_TYPES } from "../events/catalog";
import { EVENT_TYPE_DESCRIPTIONS } from "../events/json-schema";
import { apiRoute } from "../lib/route";
import { createRouter } from "../lib/router";
import { json } from "../schemas/common";

const eventTypeSchema = z
  .object({
    type: z.enum(EVENT_TYPES),
    description: z.string(),
    schema: z.record(z.string(), z.unknown()).openapi({ description: "JSON Schema (2020-12) of the event's `data`; open: other fields pass" }),
    example: z.record(z.string(), z.unknown()).openapi({ description: "A `data` that fits the schema; what a test send of this type delivers" }),
  })
  .openapi("EventType");

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
