// Delivery shapes: one delivery of one event to one webhook, and its attempt log.
import { z } from "@hono/zod-openapi";
import { type AttemptRow, DELIVERY_STATUSES, type DeliveryRow } from "../db/schema";
import { listQuerySchema } from "../lib/pagination";
import { iso, isoOrNull, isoTime, listOf } from "./common";

export const deliveryListQuerySchema = listQuerySchema.extend({ status: z.enum(DELIVERY_STATUSES).optional() });

export const deliverySchema = z
  .object({
    id: z.string().openapi({ example: "msg_0123abcd" }),
    webhookId: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int().openapi({ description: "Attempts made in all, manual retries included" }),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: isoTime.nullable(),
    createdAt: isoTime,
    updatedAt: isoTime,
    deliveredAt: isoTime.nullable(),
  })
  .openapi("Delivery");

export const attemptSchema = z
  .object({
    attempt: z.number().int(),
    statusCode: z.number().int().nullable(),
    durationMs: z.number().int(),
    error: z.string().nullable(),
    responseSnippet: z.string().nullable().openapi({ description: "The first 1 KiB of the response body" }),
    at: isoTime,
  })
  .openapi("DeliveryAttempt");

export const deliveryWithAttemptsSchema = deliverySchema.extend({ attemptLog: z.array(attemptSchema) }).openapi("DeliveryWithAttempts");

export const deliveryListSchema = listOf(deliverySchema, "DeliveryList");

export const deliveryJson = (row: DeliveryRow): z.infer<typeof deliverySchema> => ({
  id: row.id,
  webhookId: row.webhookId,
  eventId: row.eventId,
  eventType: row.eventType,
  status: row.status,
  attempts: row.attempts,
  lastStatusCode: row.lastStatusCode,
  lastError: row.lastError,
  nextAttemptAt: isoOrNull(row.nextAttemptAt),
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt),
  deliveredAt: isoOrNull(row.deliveredAt),
});

export const attemptJson = (row: AttemptRow): z.infer<typeof attemptSchema> => ({
  attempt: row.attempt,
  statusCode: row.statusCode,
  durationMs: row.durationMs,
  error: row.error,
  responseSnippet: row.responseSnippet,
  at: iso(row.at),
});
