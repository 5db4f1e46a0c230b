// The delivery queue's message: small and versioned. Everything else is reloaded from D1, so
// messages stay far under the 128 KB limit and never carry payloads or secrets.
import { z } from "zod";

export const deliveryMessageSchema = z.object({
  v: z.literal(1),
  deliveryId: z.string().min(1).max(64),
  org: z.string().min(1).max(64),
});

export type DeliveryMessage = z.infer<typeof deliveryMessageSchema>;
