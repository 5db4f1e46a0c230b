// Request and response shapes of a webhook's recover and stats endpoints.
import { z } from "@hono/zod-openapi";
import { isoTime } from "./common";

export const recoverRequestSchema = z
  .strictObject({
    since: isoTime.openapi({ description: "Failed deliveries created at or after this time are sent again" }),
    until: isoTime.optional().openapi({ description: "…and before this time (default now)" }),
  })
  .refine((b) => b.until === undefined || Date.parse(b.since) < Date.parse(b.until), { message: "since must be before until", path: ["until"] })
  .openapi("RecoverRequest");

export const recoverResultSchema = z
  .object({
    count: z.number().int().openapi({ description: "Deliveries moved from failed back to pending and queued" }),
    more: z.boolean().openapi({ description: "True when the per-call bound (50,000) was reached: call again for the rest" }),
  })
  .openapi("RecoverResult");

export const statsQuerySchema = z.object({
  since: isoTime.optional().openapi({ param: { name: "since", in: "query" }, description: "Start of the window (default 24 h ago); it ends now" }),
});

const ms = z.number().int().nullable();

export const webhookStatsSchema = z
  .object({
    since: isoTime,
    until: isoTime,
    succeeded: z.number().int().openapi({ description: "Deliveries created in the window, by status now" }),
    failed: z.number().int(),
    pending: z.number().int(),
    successRate: z.number().nullable().openapi({ description: "succeeded / (succeeded + failed); null when none has finished" }),
    latencyMs: z
      .object({ p50: ms, p95: ms, p99: ms })
      .openapi({ description: "Attempt durations in the window (nearest rank); null without attempts" }),
    lastSuccessAt: isoTime.nullable().openapi({ description: "Latest 2xx attempt in the window" }),
    lastFailureAt: isoTime.nullable().openapi({ description: "Latest failed attempt in the window" }),
  })
  .openapi("WebhookStats");
