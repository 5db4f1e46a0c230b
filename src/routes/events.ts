// Events in: publish (HTTP face of publishEvent, shared with the AutomationService RPC), list, get.
import { listDeliveriesOfEvent } from "../db/repositories/deliveries";
import { findEvent, listEvents } from "../db/repositories/events";
import { notFound } from "../errors";
import { publishEvent } from "../events/publish";
import { apiRoute } from "../lib/route";
import { createRouter } from "../lib/router";
import { errorResponses, idParamSchema, json } from "../schemas/common";
import { deliveryJson } from "../schemas/deliveries";
import {
  eventAcceptedSchema,
  eventJson,
  eventListQuerySchema,
  eventListSchema,
  eventWebhooks,
  eventWithDeliveriesSchema,
  publishEventSchema,
  publishHeadersSchema,
} from "../schemas/events";

const publishRoute = apiRoute({
  method: "post",
  path: "/",
  operationId: "publishEvent",
  tag: "Events",
  summary: "Publish an event to every active webhook subscribed to its type",
  permission: "event:publish",
  request: { headers: publishHeadersSchema, body: { required: true, content: json(publishEventSchema) } },
  responses: {
    202: {
      description: "Accepted; `Idempotent-Replayed: true` when this is the first answer to the same Idempotency-Key",
      content: json(eventAcceptedSchema),
    },
    ...errorResponses(409),
  },
});

const listRoute = apiRoute({
  method: "get",
  path: "/",
  operationId: "listEvents",
  tag: "Events",
  summary: "List events, newest first",
  permission: "read",
  request: { query: eventListQuerySchema },
  responses: { 200: { description: "A page of events", content: json(eventListSchema) } },
});

const getRoute = apiRoute({
  method: "get",
  path: "/{id}",
  operationId: "getEvent",
  tag: "Events",
  summary: "An event with its deliveries",
  permission: "read",
  request: { params: idParamSchema },
  responses: { 200: { description: "The event", content: json(eventWithDeliveriesSchema) }, ...errorResponses(404) },
});

export function eventsRoute() {
  const router = createRouter();
  for (const webhook of eventWebhooks) router.openAPIRegistry.registerWebhook(webhook);
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
