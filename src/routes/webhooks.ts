// Webhook subscriptions: create, list, get, update, delete. Secret rotation, test sends and
// the delivery list of one webhook are in webhook-actions.ts.
import { createRoute } from "@hono/zod-openapi";
import { deleteWebhook, findWebhook, insertWebhook, listWebhooks, updateWebhook } from "../db/repositories/webhooks";
import { notFound } from "../errors";
import { newId } from "../lib/ids";
import { createRouter } from "../lib/router";
import { requirePermission } from "../middleware/auth";
import { unparkAll } from "../db/repositories/delivery-lines";
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

const createWebhookRoute = createRoute({
  method: "post",
  path: "/",
  tags: ["Webhooks"],
  summary: "Create a webhook; the answer holds its signing secret, shown only now",
  middleware: [requirePermission("webhook:manage")] as const,
  request: { body: { required: true, content: json(createWebhookSchema) } },
  responses: { 201: { description: "Created", content: json(webhookWithSecretSchema) }, ...errorResponses(400, 403) },
});

const listWebhooksRoute = createRoute({
  method: "get",
  path: "/",
  tags: ["Webhooks"],
  summary: "List webhooks, newest first",
  middleware: [requirePermission("read")] as const,
  request: { query: webhookListQuerySchema },
  responses: { 200: { description: "A page of webhooks", content: json(webhookListSchema) }, ...errorResponses(400, 403) },
});

const getWebhookRoute = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["Webhooks"],
  summary: "Get a webhook",
  middleware: [requirePermission("read")] as const,
  request: { params: idParamSchema },
  responses: { 200: { description: "The webhook", content: json(webhookSchema) }, ...errorResponses(403, 404) },
});

const updateWebhookRoute = createRoute({
  method: "put",
  path: "/{id}",
  tags: ["Webhooks"],
  summary: "Change a webhook; `active: true` also clears `disabledReason` and the failure count",
  middleware: [requirePermission("webhook:manage")] as const,
  request: { params: idParamSchema, body: { required: true, content: json(updateWebhookSchema) } },
  responses: { 200: { description: "The updated webhook", content: json(webhookSchema) }, ...errorResponses(400, 403, 404) },
});

const deleteWebhookRoute = createRoute({
  method: "delete",
  path: "/{id}",
  tags: ["Webhooks"],
  summary: "Delete a webhook; its pending deliveries fail with `webhook deleted`",
  middleware: [requirePermission("webhook:manage")] as const,
  request: { params: idParamSchema },
  responses: { 204: { description: "Deleted" }, ...errorResponses(403, 404) },
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
      if (!(await findWebhook(db, org, id))) throw notFound("Webhook");
      if (fields.url !== undefined) await assertAllowedUrl(c.get("config"), fields.url);
      // Re-enabling is the operator's answer to an automatic disable: start counting afresh.
      const reenable = fields.active === true ? { disabledReason: null, consecutiveFailures: 0 } : {};
      const now = new Date();
      const updated = await updateWebhook(db, org, id, { ...fields, ...reenable, updatedAt: now }, events);
      // No longer ordered: deliveries parked behind others get a time and the cron sweep sends them.
      if (fields.ordered === false) await unparkAll(db, org, id, now);
      if (!updated) throw notFound("Webhook");
      return c.json(webhookJson(updated.row, updated.events), 200);
    })
    .openapi(deleteWebhookRoute, async (c) => {
      const deleted = await deleteWebhook(c.get("db"), c.get("principal").org, c.req.valid("param").id, new Date());
      if (!deleted) throw notFound("Webhook");
      return c.body(null, 204);
    });
