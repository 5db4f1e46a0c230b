// Event shapes, and each catalog type's `data` schema as a named OpenAPI component.
import { z } from "@hono/zod-openapi";
import type { EventRow } from "../db/schema";
import { EVENT_CATALOG, EVENT_TYPES, isEventType } from "../events/catalog";
import { listQuerySchema } from "../lib/pagination";
import { iso, isoTime, json, listOf } from "./common";
import { deliverySchema } from "./deliveries";

// Visible ASCII, like Stripe's keys; long enough for a UUID or a composite business key.
export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x20-\x7e]+$/, "printable ASCII only");

export const publishHeadersSchema = z.object({
  "idempotency-key": idempotencyKeySchema.optional().openapi({
    param: { in: "header" },
    description: "Same org and key within 24 h: the first answer again and no new deliveries; another body: 409",
  }),
});

export const publishEventSchema = z
  .strictObject({
    // The catalog check and the data check live in publishEvent, shared with the RPC.
    type: z.string().min(1).max(100).openapi({ enum: EVENT_TYPES, example: "patient.created" }),
    data: z
      .record(z.string(), z.unknown())
      .openapi({ description: "Matches the type's schema (components `<Type>EventData`)", example: { patientId: "pat_1" } }),
  })
  .openapi("PublishEvent");

export const eventAcceptedSchema = z
  .object({ id: z.string().openapi({ example: "evt_0123abcd" }), type: z.string(), createdAt: isoTime })
  .openapi("EventAccepted");

export const eventListQuerySchema = listQuerySchema.extend({
  type: z.string().max(100).refine(isEventType, { message: "Unknown event type" }).optional(),
});

export const eventSchema = z
  .object({
    id: z.string().openapi({ example: "evt_0123abcd" }),
    type: z.string(),
    data: z.record(z.string(), z.unknown()),
    createdAt: isoTime,
  })
  .openapi("Event");

export const eventWithDeliveriesSchema = eventSchema.extend({ deliveries: z.array(deliverySchema) }).openapi("EventWithDeliveries");

export const eventListSchema = listOf(eventSchema, "EventList");

export const eventJson = (row: EventRow): z.infer<typeof eventSchema> => ({
  id: row.id,
  type: row.type,
  data: row.data,
  createdAt: iso(row.createdAt),
});

/** `medical_record.created` → `MedicalRecordCreatedEventData`. */
const componentName = (type: string) =>
  `${type
    .split(/[._]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("")}EventData`;

/**
 * What a receiver gets for each catalog type, as the document's OpenAPI 3.1 `webhooks`: the
 * signed POST body, its `data` a named component (`<Type>EventData`).
 */
export const eventWebhooks = EVENT_TYPES.map((type) => ({
  method: "post" as const,
  path: type,
  operationId: `on${componentName(type).replace(/Data$/, "")}`,
  tags: ["Event payloads"],
  summary: EVENT_CATALOG[type].description,
  description: `Delivered to webhooks subscribed to \`${type}\`, \`${type.split(".")[0]}.*\` or \`*\`, signed per Standard Webhooks (docs/WEBHOOK_SYSTEM.md).`,
  request: {
    body: {
      required: true,
      content: json(
        z.object({
          id: z.string().openapi({ description: "The event id, also the webhook-id header", example: "evt_0123abcd" }),
          type: z.literal(type),
          timestamp: isoTime.openapi({ description: "When the event was published" }),
          data: EVENT_CATALOG[type].data.openapi(componentName(type), {
            description: EVENT_CATALOG[type].description,
            example: EVENT_CATALOG[type].example,
          }),
        }),
      ),
    },
  },
  responses: { 200: { description: "Any 2xx acknowledges the delivery; anything else is retried" } },
}));
