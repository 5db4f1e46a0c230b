import { createRoute, z } from "@hono/zod-openapi";
import { EVENT_CATALOG, EVENT_TYPES } from "../events/catalog";
import { createRouter } from "../lib/router";
import { requirePermission } from "../middleware/auth";

const eventTypeSchema = z.object({ type: z.enum(EVENT_TYPES), description: z.string() }).openapi("EventType");

const route = createRoute({
  method: "get",
  path: "/event-types",
  tags: ["Webhooks"],
  summary: "The event catalog",
  middleware: [requirePermission("read")] as const,
  responses: {
    200: {
      description: "Every event type a webhook can subscribe to",
      content: { "application/json": { schema: z.object({ data: z.array(eventTypeSchema) }).openapi("EventTypeList") } },
    },
  },
});

export const eventTypesRoute = () =>
  createRouter().openapi(route, (c) => c.json({ data: EVENT_TYPES.map((type) => ({ type, description: EVENT_CATALOG[type].description })) }, 200));
