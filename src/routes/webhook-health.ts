// A webhook's health: re-send the failures of a window (recover) and how it has been doing (stats).
import { countDeliveriesByStatus } from "../db/repositories/deliveries";
import { summarizeAttempts } from "../db/repositories/delivery-attempts";
import { findWebhookRow } from "../db/repositories/webhooks";
import { conflict, notFound, validationError } from "../errors";
import { apiRoute } from "../lib/route";
import { createRouter } from "../lib/router";
import { errorResponses, idParamSchema, iso, isoOrNull, json } from "../schemas/common";
import { recoverRequestSchema, recoverResultSchema, statsQuerySchema, webhookStatsSchema } from "../schemas/webhook-health";
import { recoverFailedDeliveries } from "../webhooks/recover";

const DAY_MS = 86_400_000;

const recoverRoute = apiRoute({
  method: "post",
  path: "/{id}/recover",
  operationId: "recoverWebhookDeliveries",
  tag: "Webhooks",
  summary: "Send every failed delivery created in a window again, with a fresh schedule",
  description: "Safe to repeat: only `failed` deliveries move, so one already pending again is not sent twice. 409 when the webhook is inactive.",
  permission: "webhook:manage",
  request: { params: idParamSchema, body: { required: true, content: json(recoverRequestSchema) } },
  responses: { 202: { description: "Queued", content: json(recoverResultSchema) }, ...errorResponses(404, 409) },
});

const statsRoute = apiRoute({
  method: "get",
  path: "/{id}/stats",
  operationId: "getWebhookStats",
  tag: "Webhooks",
  summary: "Delivery counts, success rate and attempt latency of this webhook over a window",
  permission: "read",
  request: { params: idParamSchema, query: statsQuerySchema },
  responses: { 200: { description: "The webhook's stats", content: json(webhookStatsSchema) }, ...errorResponses(404) },
});

export const webhookHealthRoute = () =>
  createRouter()
    .openapi(recoverRoute, async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      const { org } = c.get("principal");
      const db = c.get("db");
      const row = await findWebhookRow(db, org, id);
      if (!row) throw notFound("Webhook");
      if (!row.active) throw conflict("Webhook is inactive; enable it before recovering its deliveries");
      const now = new Date();
      const window = { since: new Date(body.since), until: body.until ? new Date(body.until) : now };
      const result = await recoverFailedDeliveries(db, c.env.DELIVERY_QUEUE, org, id, window, now);
      return c.json(result, 202);
    })
    .openapi(statsRoute, async (c) => {
      const { id } = c.req.valid("param");
      const { org } = c.get("principal");
      const db = c.get("db");
      if (!(await findWebhookRow(db, org, id))) throw notFound("Webhook");
      const until = new Date();
      const since = new Date(c.req.valid("query").since ?? until.getTime() - DAY_MS);
      if (since >= until) throw validationError("since must be in the past", [{ path: "since", message: "must be before now" }]);
      const window = { since, until };
      const [counts, attempts] = await Promise.all([countDeliveriesByStatus(db, org, id, window), summarizeAttempts(db, org, id, window)]);
      const finished = counts.succeeded + counts.failed;
      return c.json(
        {
          since: iso(since),
          until: iso(until),
          ...counts,
          successRate: finished ? counts.succeeded / finished : null,
          latencyMs: { p50: attempts.p50, p95: attempts.p95, p99: attempts.p99 },
          lastSuccessAt: isoOrNull(attempts.lastSuccessAt),
          lastFailureAt: isoOrNull(attempts.lastFailureAt),
        },
        200,
      );
    });
