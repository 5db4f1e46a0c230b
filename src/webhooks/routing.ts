// Which webhooks an event goes to, decided once when it is published: the subscribers of its
// type (exact, `resource.*` or `*`) whose payload filter it passes. A webhook it does not
// match gets no delivery row at all, so filters cost nothing downstream.
import type { Db } from "../db/client";
import { findSubscribers, type Subscriber } from "../db/repositories/webhook-event-types";
import { matchesFilter } from "./filter";

export interface RoutableEvent {
  id: string;
  type: string;
  createdAt: Date;
  data: Record<string, unknown>;
}

/**
 * The ids of the org's active webhooks that receive this event. One D1 read, unless the
 * caller already looked up the subscribers of the event's type (`subscribers`).
 */
export async function routeEvent(db: Db, org: string, event: RoutableEvent, subscribers?: Subscriber[]): Promise<string[]> {
  subscribers ??= await findSubscribers(db, org, event.type);
  // Filters see the event as the receiver will: the delivered body's fields.
  const body = { id: event.id, type: event.type, timestamp: event.createdAt.toISOString(), data: event.data };
  return subscribers.filter((s) => matchesFilter(s.filter, body)).map((s) => s.id);
}
