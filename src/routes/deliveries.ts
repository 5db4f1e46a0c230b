// The org's deliveries, one delivery with its attempt log, and the manual retry.
import { findDelivery, listDeliveries, resetForRetry } from "../db/repositories/deliveries";
import { listAttempts } from "../db/repositories/delivery-attempts";
import { findWebhookRow } from "../db/repositories/webhooks";
import { enqueueDeliveries } from "../delivery/queue";
import { conflict, notFound } from "../errors";
import { apiRoute } from "../lib/route";
import { createRouter } from "../lib/router";
import { noRequestBody } from "../middleware/json-body";
import { errorResponses, idParamSchema, json } from "../schemas/common";
import {
  attemptJson,
  deliveryJson,
  deliveryListQuerySchema,
  deliveryListSchema,
  deliverySchema,
  deliveryWithAttemptsSchema,
} from "../schemas/deliveries";

const listDeliveriesRoute = apiRoute({
  method: "get",
  path: "/",
  operationId: "listDeliveries",
  tag: "Deliveries",
  summary: "Every delivery of the org, newest first (the dashboard's delivery history)",
  permission: "read",
  request: { query: deliveryListQuerySchema },
  responses: { 200: { description: "A page of deliveries", content: json(deliveryListSchema) } },
});

const getDeliveryRoute = apiRoute({
  method: "get",
  path: "/{id}",
  operationId: "getDelivery",
  tag: "Deliveries",
  summary: "A delivery and every attempt made for it",
  permission: "read",
  request: { params: idParamSchema },
  responses: { 200: { description: "The delivery", content: json(deliveryWithAttemptsSchema) }, ...errorResponses(404) },
});

const retryRoute = apiRoute({
  method: "post",
  path: "/{id}/retry",
  operationId: "retryDelivery",
  tag: "Deliveries",
  summary: "Deliver again with a fresh attempt schedule",
  description:
    "Allowed for a succeeded or failed delivery whose webhook still exists and is active. " +
    "A pending delivery is already scheduled (409), and a deleted or disabled webhook receives nothing (409).",
  permission: "webhook:manage",
  use: [noRequestBody],
  request: { params: idParamSchema },
  responses: {
    202: { description: "The delivery, pending again", content: json(deliverySchema) },
    ...errorResponses(404, 409),
  },
});

export const deliveriesRoute = () =>
  createRouter()
    .openapi(listDeliveriesRoute, async (c) => {
      const result = await listDeliveries(c.get("db"), c.get("principal").org, c.req.valid("query"));
      return c.json({ data: result.data.map(deliveryJson), nextCursor: result.nextCursor }, 200);
    })
    .openapi(getDeliveryRoute, async (c) => {
      const { org } = c.get("principal");
      const db = c.get("db");
      const delivery = await findDelivery(db, org, c.req.valid("param").id);
      if (!delivery) throw notFound("Delivery");
      const attempts = await listAttempts(db, org, delivery.id);
      return c.json({ ...deliveryJson(delivery), attemptLog: attempts.map(attemptJson) }, 200);
    })
    .openapi(retryRoute, async (c) => {
      const { id } = c.req.valid("param");
      const { org } = c.get("principal");
      const db = c.get("db");
      // The reset is its own commit (one conditional UPDATE); the enqueue follows it.
      const retried = await resetForRetry(db, org, id, new Date());
      if (!retried) {
        // The conditional update refused; say why.
        const delivery = await findDelivery(db, org, id);
        if (!delivery) throw notFound("Delivery");
        if (delivery.status === "pending") throw conflict("Delivery is still pending; it is already scheduled");
        const webhook = await findWebhookRow(db, org, delivery.webhookId);
        throw conflict(webhook ? "Webhook is inactive; enable it before retrying" : "Webhook was deleted");
      }
      await enqueueDeliveries(c.env.DELIVERY_QUEUE, org, [retried.id]);
      return c.json(deliveryJson(retried), 202);
    });
