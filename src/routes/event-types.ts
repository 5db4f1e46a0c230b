import { createRoute, z } from "@hono/zod-openapi";
import { EVENT_TYPES } from "../events/catalog";
import { EVENT_TYPE_DESCRIPTIONS } from "../events/json-schema";
import { createRouter } from "../lib/router";
import { requirePermission } from "../middleware/auth";
import { errorResponses, json } from "../schemas/common";

const eventTypeSchema = z
  .object({
    type: z.enum(EVENT_TYPES),
    description: z.string(),
    schema: z.record(z.string(), z.unknown()).openapi({ description: "JSON Schema (2020-12) of the event's `data`; open: other fields pass" }),
    example: z.record(z.string(), z.unknown()).openapi({ description: "A `data` that fits the schema; what a test send of this type delivers" }),
  })
  .openapi("EventType");

const route = createRoute({
  method: "get",
  path: "/event-types",
  tags: ["Webhooks"],
  summary: "The event catalog, with each type's data schema and an example",
  middleware: [requirePermission("read")] as const,
  responses: {
    200: {
      description: "Every event type a webhook can subscribe to",
      content: json(z.object({ data: z.array(eventTypeSchema) }).openapi("EventTypeList")),
    },
    ...errorResponses(403),
  },
});

export const eventTypesRoute = () => createRouter().openapi(route, (c) => c.json({ data: [...EVENT_TYPE_DESCRIPTIONS] }, 200));
