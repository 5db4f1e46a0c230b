// What a webhook's `events` items may be, and which of them an event type matches:
// a catalog type (`invoice.paid`), every type of one resource (`appointment.*`), or all (`*`).
// Subscriptions are stored one row per item, so publish finds the subscribers of a type with
// one index lookup on the (at most three) items that match it: see subscriptionKeysFor.
import { EVENT_TYPES, isEventType, WILDCARD } from "./catalog";

/** `appointment` for `appointment.created`: everything before the first dot. */
export const resourceOf = (type: string) => type.slice(0, type.indexOf("."));

export const RESOURCES: readonly string[] = [...new Set(EVENT_TYPES.map(resourceOf))];
export const RESOURCE_WILDCARDS: readonly string[] = RESOURCES.map((r) => `${r}.*`);

const resourceWildcards = new Set(RESOURCE_WILDCARDS);

/** A valid `events` item: a catalog type, `resource.*` of a catalog resource, or `*`. */
export const isTopic = (item: string) => item === WILDCARD || isEventType(item) || resourceWildcards.has(item);

/** The subscription items that receive `type`, most specific first. */
export const subscriptionKeysFor = (type: string): string[] => [type, `${resourceOf(type)}.*`, WILDCARD];

/** Whether a subscription item receives `type`. */
export const topicMatches = (item: string, type: string) => subscriptionKeysFor(type).includes(item);
