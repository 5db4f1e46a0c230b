// Webhook subscriptions: create, list, get, update, delete. Secret rotation, test sends and
// the delivery list of one webhook are in webhook-actions.ts.
import { deleteWebhook, findWebhook, findWebhookRow, insertWebhook, listWebhooks, updateWebhook } from "../db/repositories/webhooks";
import { notFound } from "../errors";
import { newId } from "../lib/ids";
import { apiRoute } from "../lib/route";
import { createRouter } from "../lib/router";
import { errorResponses, idParamSchema, json } from "../schemas/common";
import {
  createWebhookSchema,
  updateWebhookSchema,
  webhookJson,
  webhookListQuerySchema,
  webhookListSchema,
  webhookSchema,
  webhookWithSecretSchema,
} from "../schemas/webhooks";
import { assertAllowedUrl, sealNewSecret } from "../webhooks/endpoint";

const createWebhookRoute = apiRoute({
  method: "post",
  path: "/",
  operationId: "createWebhook",
  tag: "Webhooks",
  summary: "Create a webhook; the answer holds its signing secret, shown only now",
  permission: "webhook:manage",
  request: { body: { required: true, content: json(createWebhookSchema) } },
  responses: { 201: { description: "Created", content: json(webhookWithSecretSchema) } },
});

const listWebhooksRoute = apiRoute({
  method: "get",
  path: "/",
  operationId: "listWebhooks",
  tag: "Webhooks",
  summary: "List webhooks, newest first",
  permission: "read",
  request: { query: webhookListQuerySchema },
  responses: { 200: { description: "A page of webhooks", content: json(webhookListSchema) } },
});

const getWebhookRoute = apiRoute({
  method: "get",
  path: "/{id}",
  operationId: "getWebhook",
  tag: "Webhooks",
  summary: "Get a webhook",
  permission: "read",
  request: { params: idParamSchema },
  responses: { 200: { description: "The webhook", content: json(webhookSchema) }, ...errorResponses(404) },
});

const updateWebhookRoute = apiRoute({
  method: "put",
  path: "/{id}",
  operationId: "updateWebhook",
  tag: "Webhooks",
  summary: "Change a webhook; `active: true` also clears `disabledReason` and the failure count",
  permission: "webhook:manage",
  request: { params: idParamSchema, body: { required: true, content: json(updateWebhookSchema) } },
  responses: { 200: { description: "The updated webhook", content: json(webhookSchema) }, ...errorResponses(404) },
});

const deleteWebhookRoute = apiRoute({
  method: "delete",
  path: "/{id}",
  operationId: "deleteWebhook",
  tag: "Webhooks",
  summary: "Delete a webhook; its pending deliveries fail with `webhook deleted`",
  permission: "webhook:manage",
  request: { params: idParamSchema },
  responses: { 204: { description: "Deleted" }, ...errorResponses(404) },
});

export const webhooksRoute = () =>
  createRouter()
    .openapi(createWebhookRoute, async (c) => {
      const body = c.req.valid("json");
      const { org } = c.get("principal");
      await assertAllowedUrl(c.get("config"), body.url);
      const id = newId("wh");
      const { secret, secretEnc } = await sealNewSecret(c.get("config"), org, id);
      const now = new Date();
      const created = await insertWebhook(
        c.get("db"),
        {
          id,
          org,
          url: body.url,
          description: body.description ?? null,
          active: body.active,
          headers: body.headers,
          filter: body.filter,
          rateLimit: body.rateLimit,
          ordered: body.ordered,
          secretEnc,
          createdAt: now,
          updatedAt: now,
        },
        body.events,
      );
      c.header("Location", `/api/v1/webhooks/${id}`);
      return c.json({ ...webhookJson(created.row, created.events), secret }, 201);
    })
    .openapi(listWebhooksRoute, async (c) => {
      const { active, ...query } = c.req.valid("query");
      const result = await listWebhooks(c.get("db"), c.get("principal").org, {
        ...query,
        active: active === undefined ? undefined : active === "true",
      });
      return c.json({ data: result.data.map((w) => webhookJson(w.row, w.events)), nextCursor: result.nextCursor }, 200);
    })
    .openapi(getWebhookRoute, async (c) => {
      const found = await findWebhook(c.get("db"), c.get("principal").org, c.req.valid("param").id);
      if (!found) throw notFound("Webhook");
      return c.json(webhookJson(found.row, found.events), 200);
    })
    .openapi(updateWebhookRoute, async (c) => {
      const { events, ...fields } = c.req.valid("json");
      const { id } = c.req.valid("param");
      const { org } = c.get("principal");
      const db = c.get("db");
      if (!(await findWebhookRow(db, org, id))) throw notFound("Webhook");
      if (fields.url !== undefined) await assertAllowedUrl(c.get("config"), fields.url);
      // Re-enabling is the operator's answer to an automatic disable: start counting afresh.
      const reenable = fields.active === true ? { disabledReason: null, consecutiveFailures: 0 } : {};
      const now = new Date();
      // `ordered: false` also gives the parked deliveries a time, in the same batch (updateWebhook).
      const updated = await updateWebhook(db, org, id, { ...fields, ...reenable, updatedAt: now }, events);
      if (!updated) throw notFound("Webhook");
      return c.json(webhookJson(updated.row, updated.events), 200);
    })
    .openapi(deleteWebhookRoute, async (c) => {
      const deleted = await deleteWebhook(c.get("db"), c.get("principal").org, c.req.valid("param").id, new Date());
      if (!deleted) throw notFound("Webhook");
      return c.body(null, 204);
    });
