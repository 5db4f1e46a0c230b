// Events in: publish (HTTP face of publishEvent, shared with the AutomationService RPC), list, get.
import { createRoute } from "@hono/zod-openapi";
import { listDeliveriesOfEvent } from "../db/repositories/deliveries";
import { findEvent, listEvents } from "../db/repositories/events";
import { notFound } from "../errors";
import { publishEvent } from "../events/publish";
import { createRouter } from "../lib/router";
import { requirePermission } from "../middleware/auth";
import { errorResponses, idParamSchema, json } from "../schemas/common";
import { deliveryJson } from "../schemas/deliveries";
import {
  eventAcceptedSchema,
  eventDataComponents,
  eventJson,
  eventListQuerySchema,
  eventListSchema,
  eventWithDeliveriesSchema,
  publishEventSchema,
  publishHeadersSchema,
} from "../schemas/events";

const publishRoute = createRoute({
  method: "post",
  path: "/",
  tags: ["Events"],
  summary: "Publish an event to every active webhook subscribed to its type",
  middleware: [requirePermission("event:publish")] as const,
  request: { headers: publishHeadersSchema, body: { required: true, content: json(publishEventSchema) } },
  responses: {
    202: {
      description: "Accepted; `Idempotent-Replayed: true` when this is the first answer to the same Idempotency-Key",
      content: json(eventAcceptedSchema),
    },
    ...errorResponses(400, 403, 409),
  },
});

const listRoute = createRoute({
  method: "get",
  path: "/",
  tags: ["Events"],
  summary: "List events, newest first",
  middleware: [requirePermission("read")] as const,
  request: { query: eventListQuerySchema },
  responses: { 200: { description: "A page of events", content: json(eventListSchema) }, ...errorResponses(400, 403) },
});

const getRoute = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["Events"],
  summary: "An event with its deliveries",
  middleware: [requirePermission("read")] as const,
  request: { params: idParamSchema },
  responses: { 200: { description: "The event", content: json(eventWithDeliveriesSchema) }, ...errorResponses(403, 404) },
});

export function eventsRoute() {
  const router = createRouter();
  for (const { name, schema } of eventDataComponents) router.openAPIRegistry.register(name, schema);
  return router
    .openapi(publishRoute, async (c) => {
      const { type, data } = c.req.valid("json");
      const key = c.req.valid("header")["idempotency-key"];
      const result = await publishEvent(c.get("db"), c.env.DELIVERY_QUEUE, c.get("principal").org, { type, data }, key);
      // Stripe's header: tells a client its retry was answered from the first request.
      if (result.replayed) c.header("Idempotent-Replayed", "true");
      return c.json(result.event, 202);
    })
    .openapi(listRoute, async (c) => {
      const result = await listEvents(c.get("db"), c.get("principal").org, c.req.valid("query"));
      return c.json({ data: result.data.map(eventJson), nextCursor: result.nextCursor }, 200);
    })
    .openapi(getRoute, async (c) => {
      const { org } = c.get("principal");
      const db = c.get("db");
      const event = await findEvent(db, org, c.req.valid("param").id);
      if (!event) throw notFound("Event");
      const deliveries = await listDeliveriesOfEvent(db, org, event.id);
      return c.json({ ...eventJson(event), deliveries: deliveries.map(deliveryJson) }, 200);
    });
}
