// The catalog as `GET /webhooks/event-types` shows it: each type's `data` schema as JSON Schema
// (draft 2020-12, the dialect of OpenAPI 3.1) and its example. Built once per isolate from the
// zod schemas in catalog.ts, so the published schema and publish's own check cannot drift.
import { z } from "@hono/zod-openapi";
import { EVENT_CATALOG, EVENT_TYPES, type EventType } from "./catalog";

export interface EventTypeDescription {
  type: EventType;
  description: string;
  schema: Record<string, unknown>;
  example: Record<string, unknown>;
}

// `io: "input"` describes what a publisher may send; the schemas are open (extra fields pass),
// which JSON Schema says by leaving additionalProperties unrestricted.
const describe = (type: EventType): EventTypeDescription => {
  const entry = EVENT_CATALOG[type];
  const { $schema: _dialect, ...schema } = z.toJSONSchema(entry.data, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return { type, description: entry.description, schema, example: entry.example };
};

export const EVENT_TYPE_DESCRIPTIONS: readonly EventTypeDescription[] = EVENT_TYPES.map(describe);
