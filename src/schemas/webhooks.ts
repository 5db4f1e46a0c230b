// Webhook request and response shapes. `secret` appears only in WebhookWithSecret, the answer
// of create and regenerate-secret; every other answer is built from webhookSchema.
import { z } from "@hono/zod-openapi";
import { EVENT_TYPES, isEventType, WILDCARD } from "../events/catalog";
import { isTopic, RESOURCE_WILDCARDS } from "../events/topics";
import { type Filter, filterProblems } from "../webhooks/filter";
import { listQuerySchema } from "../lib/pagination";
import type { WebhookRow } from "../db/schema";
import { MAX_WEBHOOK_URL_LENGTH } from "../delivery/url-policy";
import { iso, isoTime, listOf } from "./common";

const MAX_HEADERS = 20;
const MAX_HEADER_NAME = 100;
const MAX_HEADER_VALUE = 1000;

// RFC 9110 token characters; values are visible ASCII, space and tab (no CR/LF injection).
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;
// Headers we set ourselves, that change how the request travels, or that proxies and the
// platform use to say who the client is (a receiver trusting X-Forwarded-For or CF-Connecting-IP
// must be able to): a webhook may not set them.
const RESERVED_HEADERS = new Set([
  "authorization",
  "connection",
  "content-encoding",
  "content-length",
  "content-type",
  "cookie",
  "expect",
  "host",
  "keep-alive",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "user-agent",
  "forwarded",
  "x-real-ip",
  "true-client-ip",
  "client-ip",
  "x-client-ip",
  "x-cluster-client-ip",
  "via",
]);
const RESERVED_PREFIXES = ["webhook-", "cf-", "x-forwarded-", "proxy-"];

const eventsSchema = z
  .array(z.string().max(100))
  .min(1)
  .max(EVENT_TYPES.length + RESOURCE_WILDCARDS.length + 1)
  .superRefine((types, ctx) => {
    types.forEach((type, i) => {
      if (!isTopic(type)) {
        ctx.addIssue({
          code: "custom",
          path: [i],
          message: `Unknown event type '${type}'; see GET /api/v1/webhooks/event-types (or use 'resource.*' or '*')`,
        });
      }
    });
  })
  .openapi({
    description: 'Catalog event types, `resource.*` for every type of one resource (e.g. `appointment.*`), or "*" for all of them',
    example: ["patient.created", "appointment.*"],
  });

// Each problem is reported at its own path (`filter.data.patientId.$in`); the key itself may hold dots.
const filterSchema = z
  .record(z.string(), z.unknown())
  .superRefine((filter, ctx) => {
    for (const problem of filterProblems(filter))
      ctx.addIssue({ code: "custom", path: problem.path ? [problem.path] : [], message: problem.message });
  })
  .nullable()
  .openapi({
    description:
      'Every entry must hold for the webhook to receive an event: `{"<path>": value | {"$in"|"$ne"|"$gt"|"$gte"|"$lt"|"$lte"|"$exists": operand}}`; null = no filter',
    example: { "data.patientId": "pat_123", "data.amountCents": { $gte: 10000 } },
  });
const rateLimitSchema = z
  .number()
  .int()
  .min(1)
  .max(1000)
  .nullable()
  .openapi({ description: "At most this many attempts start in any sliding second; null = no limit", example: 10 });
const orderedSchema = z.boolean().openapi({ description: "One delivery at a time, in publish order (a retrying delivery holds back later ones)" });

/** Why one custom header is refused, or undefined when it is fine. */
function headerProblem(name: string, value: string, seen: Set<string>): string | undefined {
  const lower = name.toLowerCase();
  if (name.length > MAX_HEADER_NAME || !HEADER_NAME.test(name)) return "is not a valid header name";
  if (RESERVED_HEADERS.has(lower) || RESERVED_PREFIXES.some((prefix) => lower.startsWith(prefix))) return "is reserved and cannot be overridden";
  if (seen.has(lower)) return "is given twice";
  if (value.length > MAX_HEADER_VALUE || !HEADER_VALUE.test(value)) {
    return `has an invalid value (printable ASCII, at most ${MAX_HEADER_VALUE} characters)`;
  }
  return undefined;
}

const headersSchema = z
  .record(z.string(), z.string())
  .superRefine((headers, ctx) => {
    const names = Object.keys(headers);
    if (names.length > MAX_HEADERS) ctx.addIssue({ code: "custom", message: `At most ${MAX_HEADERS} headers` });
    const seen = new Set<string>();
    for (const name of names) {
      const problem = headerProblem(name, headers[name]!, seen);
      const shown = name.slice(0, MAX_HEADER_NAME);
      if (problem) ctx.addIssue({ code: "custom", path: [shown], message: `Header '${shown}' ${problem}` });
      seen.add(name.toLowerCase());
    }
  })
  .openapi({ description: `Extra headers sent with every delivery (at most ${MAX_HEADERS})`, example: { "X-Clinic": "north" } });

const urlSchema = z.string().min(1).max(MAX_WEBHOOK_URL_LENGTH).openapi({ example: "https://hooks.example.com/purple-cross" });
const descriptionSchema = z.string().max(500).nullable();

export const createWebhookSchema = z
  .strictObject({
    url: urlSchema,
    events: eventsSchema,
    description: descriptionSchema.optional(),
    active: z.boolean().default(true),
    headers: headersSchema.default({}),
    filter: filterSchema.default(null),
    rateLimit: rateLimitSchema.default(null),
    ordered: orderedSchema.default(false),
  })
  .openapi("CreateWebhook");

export const updateWebhookSchema = z
  .strictObject({
    url: urlSchema.optional(),
    events: eventsSchema.optional(),
    description: descriptionSchema.optional(),
    active: z.boolean().optional(),
    headers: headersSchema.optional(),
    filter: filterSchema.optional(),
    rateLimit: rateLimitSchema.optional(),
    ordered: orderedSchema.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: "Give at least one field to change" })
  .openapi("UpdateWebhook");

export type CreateWebhook = z.infer<typeof createWebhookSchema>;

export type UpdateWebhook = z.infer<typeof updateWebhookSchema>;

export const webhookListQuerySchema = listQuerySchema.extend({
  active: z.enum(["true", "false"]).optional(),
  event: z
    .string()
    .max(100)
    .refine((t) => t === WILDCARD || isEventType(t), { message: "Unknown event type" })
    .optional()
    .openapi({ description: 'Webhooks that receive this type: subscribed to it, to its `resource.*` or to "*"' }),
});

export const webhookSchema = z
  .object({
    id: z.string().openapi({ example: "wh_0123abcd" }),
    url: z.string(),
    events: z.array(z.string()),
    description: z.string().nullable(),
    active: z.boolean(),
    headers: z.record(z.string(), z.string()),
    disabledReason: z.string().nullable().openapi({ description: "Why delivery disabled the webhook, if it did" }),
    filter: z.record(z.string(), z.unknown()).nullable(),
    rateLimit: z.number().int().nullable(),
    ordered: z.boolean(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .openapi("Webhook");

export const webhookWithSecretSchema = webhookSchema
  .extend({ secret: z.string().openapi({ description: "Signing secret; shown only now", example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }) })
  .openapi("WebhookWithSecret");

export const webhookListSchema = listOf(webhookSchema, "WebhookList");
export const testSendRequestSchema = z
  .strictObject({
    eventType: z
      .string()
      .max(100)
      .refine(isEventType, { message: "Unknown event type; see GET /api/v1/webhooks/event-types" })
      .optional()
      .openapi({ description: "Send this type's example (default `webhook.test`)", example: "appointment.created" }),
  })
  .openapi("TestSendRequest");
export const testSendSchema = z.object({ deliveryId: z.string().openapi({ example: "msg_0123abcd" }) }).openapi("TestSend");

/** One entry of the event catalog (GET /webhooks/event-types). */
export const eventTypeSchema = z
  .object({
    type: z.enum(EVENT_TYPES),
    description: z.string(),
    schema: z.record(z.string(), z.unknown()).openapi({ description: "JSON Schema (2020-12) of the event's `data`; open: other fields pass" }),
    example: z.record(z.string(), z.unknown()).openapi({ description: "A `data` that fits the schema; what a test send of this type delivers" }),
  })
  .openapi("EventType");

/** The public view of a row: never the ciphertexts, failure counter or org. */
export const webhookJson = (row: WebhookRow, events: string[]): z.infer<typeof webhookSchema> => ({
  id: row.id,
  url: row.url,
  events,
  description: row.description,
  active: row.active,
  headers: row.headers,
  disabledReason: row.disabledReason,
  filter: (row.filter as Filter | null) ?? null,
  rateLimit: row.rateLimit,
  ordered: row.ordered,
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt),
});

export type Webhook = z.infer<typeof webhookSchema>;
export type WebhookWithSecret = z.infer<typeof webhookWithSecretSchema>;
