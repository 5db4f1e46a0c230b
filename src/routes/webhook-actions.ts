// Actions on one webhook: rotate its secret, send it a test event, list its deliveries.
import { listDeliveries } from "../db/repositories/deliveries";
import { findWebhookRow, updateWebhook } from "../db/repositories/webhooks";
import { commitAndEnqueue } from "../delivery/queue";
import { conflict, notFound } from "../errors";
import { EVENT_CATALOG } from "../events/catalog";
import { prepareEvent } from "../events/publish";
import { apiRoute } from "../lib/route";
import { createRouter } from "../lib/router";
import { noRequestBody } from "../middleware/json-body";
import { errorResponses, idParamSchema, json } from "../schemas/common";
import { deliveryJson, deliveryListQuerySchema, deliveryListSchema } from "../schemas/deliveries";
import { testSendRequestSchema, testSendSchema, webhookJson, webhookWithSecretSchema } from "../schemas/webhooks";
import { sealNewSecret } from "../webhooks/endpoint";

const regenerateSecretRoute = apiRoute({
  method: "post",
  path: "/{id}/regenerate-secret",
  operationId: "regenerateWebhookSecret",
  tag: "Webhooks",
  summary: "Issue a new signing secret; the old one keeps signing beside it for WEBHOOK_SECRET_GRACE_SECONDS",
  permission: "webhook:manage",
  use: [noRequestBody],
  request: { params: idParamSchema },
  responses: { 200: { description: "The webhook with its new secret", content: json(webhookWithSecretSchema) }, ...errorResponses(404) },
});

const testRoute = apiRoute({
  method: "post",
  path: "/{id}/test",
  operationId: "sendTestEvent",
  tag: "Webhooks",
  summary: "Send an event to this webhook alone: `webhook.test`, or the example of `eventType`",
  permission: "webhook:manage",
  request: { params: idParamSchema, body: { required: false, content: json(testSendRequestSchema) } },
  responses: { 202: { description: "Queued", content: json(testSendSchema) }, ...errorResponses(404, 409) },
});

const deliveriesRoute = apiRoute({
  method: "get",
  path: "/{id}/deliveries",
  operationId: "listWebhookDeliveries",
  tag: "Webhooks",
  summary: "This webhook's deliveries, newest first",
  permission: "read",
  request: { params: idParamSchema, query: deliveryListQuerySchema },
  responses: { 200: { description: "A page of deliveries", content: json(deliveryListSchema) }, ...errorResponses(404) },
});

export const webhookActionsRoute = () =>
  createRouter()
    .openapi(regenerateSecretRoute, async (c) => {
      const { id } = c.req.valid("param");
      const { org } = c.get("principal");
      const db = c.get("db");
      const found = await findWebhookRow(db, org, id);
      if (!found) throw notFound("Webhook");
      const now = new Date();
      const { secret, secretEnc } = await sealNewSecret(c.get("config"), org, id);
      // Only the secret being replaced keeps a grace period: after two quick rotations the
      // first secret stops signing at once, as with Stripe's "roll secret".
      const updated = await updateWebhook(db, org, id, {
        secretEnc,
        previousSecretEnc: found.secretEnc,
        previousSecretExpiresAt: new Date(now.getTime() + c.get("config").webhookSecretGraceSeconds * 1000),
        updatedAt: now,
      });
      if (!updated) throw notFound("Webhook");
      return c.json({ ...webhookJson(updated.row, updated.events), secret }, 200);
    })
    .openapi(testRoute, async (c) => {
      const { id } = c.req.valid("param");
      const { org } = c.get("principal");
      const db = c.get("db");
      const found = await findWebhookRow(db, org, id);
      if (!found) throw notFound("Webhook");
      // An inactive webhook receives nothing, tests included: a 409 says so instead of a
      // delivery that the consumer would fail at once. Re-enable it with PUT {active: true}.
      if (!found.active) throw conflict("Webhook is inactive; enable it before sending a test");
      // A test send skips subscriptions and filters: the endpoint gets it whatever it subscribes to.
      const type = c.req.valid("json")?.eventType ?? "webhook.test";
      const data = type === "webhook.test" ? { webhookId: id, message: "Test event from Purple Cross" } : EVENT_CATALOG[type].example;
      const prepared = await prepareEvent(db, org, { type, data }, { webhookId: id });
      await commitAndEnqueue(db, c.env.DELIVERY_QUEUE, org, prepared.statements, prepared.deliveryIds);
      return c.json({ deliveryId: prepared.deliveryIds[0]! }, 202);
    })
    .openapi(deliveriesRoute, async (c) => {
      const { id } = c.req.valid("param");
      const { org } = c.get("principal");
      const db = c.get("db");
      // Deliveries outlive a deleted webhook (GET /deliveries/:id still shows them), but this
      // list belongs to the webhook and goes with it.
      if (!(await findWebhookRow(db, org, id))) throw notFound("Webhook");
      const result = await listDeliveries(db, org, { ...c.req.valid("query"), webhookId: id });
      return c.json({ data: result.data.map(deliveryJson), nextCursor: result.nextCursor }, 200);
    });
