// The API's shapes, inferred from the Worker's own zod schemas (type-only imports: nothing of
// the server is bundled), so a field renamed on the server breaks the dashboard's type check.
import type { z } from "zod";
import type { deliverySchema, deliveryWithAttemptsSchema } from "../../../src/schemas/deliveries";
import type { eventAcceptedSchema, eventSchema, eventWithDeliveriesSchema } from "../../../src/schemas/events";
import type { sessionSchema } from "../../../src/schemas/portal";
import type { webhookStatsSchema } from "../../../src/schemas/webhook-health";
import type { eventTypeSchema, testSendSchema, webhookSchema, webhookWithSecretSchema } from "../../../src/schemas/webhooks";
import type { historyEntrySchema, workflowSchema, workflowStatsSchema } from "../../../src/schemas/workflows";

export type Webhook = z.infer<typeof webhookSchema>;
export type WebhookWithSecret = z.infer<typeof webhookWithSecretSchema>;
export type TestSend = z.infer<typeof testSendSchema>;
export type EventType = z.infer<typeof eventTypeSchema>;
export type WebhookStats = z.infer<typeof webhookStatsSchema>;
export type Delivery = z.infer<typeof deliverySchema>;
export type DeliveryWithAttempts = z.infer<typeof deliveryWithAttemptsSchema>;
export type Attempt = DeliveryWithAttempts["attemptLog"][number];
export type ApiEvent = z.infer<typeof eventSchema>;
export type EventWithDeliveries = z.infer<typeof eventWithDeliveriesSchema>;
export type EventAccepted = z.infer<typeof eventAcceptedSchema>;
export type Workflow = z.infer<typeof workflowSchema>;
export type WorkflowStats = z.infer<typeof workflowStatsSchema>;
export type HistoryEntry = z.infer<typeof historyEntrySchema>;
export type Session = z.infer<typeof sessionSchema>;

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
