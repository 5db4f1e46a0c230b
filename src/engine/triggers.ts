// Template triggers: start an instance per matching published event, or per cron firing.
// Checked on save like the definition; `documentId` is a string or a `$ref` into the event.
import { Cron } from "croner";
import { z } from "zod";
import { isEventType } from "../events/catalog";
import type { ErrorDetail } from "../errors";
import { getPath, isRef, matchesAll } from "./paths";

export const MAX_TRIGGERS = 10;

const documentId = z.union([
  z.string().min(1).max(128),
  z.strictObject({ $ref: z.string().regex(/^(?:data|type|id)(?:\.[A-Za-z0-9_-]{1,64}){0,10}$/) }),
]);

const eventTrigger = z.strictObject({
  event: z.string().refine((type): boolean => isEventType(type), { message: "must be a catalog event type" }),
  match: z.record(z.string().max(200), z.unknown()).optional(),
  documentId,
});

const cronTrigger = z.strictObject({
  // Five fields, UTC; seconds are not offered (one instance per minute slot).
  cron: z
    .string()
    .max(100)
    .refine((expr) => expr.trim().split(/\s+/).length === 5 && parseCron(expr) !== undefined, { message: "a five-field cron expression (UTC)" }),
  documentId: z.string().min(1).max(128),
});

export type EventTrigger = z.infer<typeof eventTrigger>;
export type CronTrigger = z.infer<typeof cronTrigger>;
export type Trigger = EventTrigger | CronTrigger;

const triggersSchema = z.array(z.union([eventTrigger, cronTrigger])).max(MAX_TRIGGERS);

export function parseCron(expr: string): Cron | undefined {
  try {
    return new Cron(expr, { timezone: "UTC", paused: true });
  } catch {
    return undefined;
  }
}

export function checkTriggers(input: unknown): { ok: true; triggers: Trigger[] } | { ok: false; details: ErrorDetail[] } {
  const parsed = triggersSchema.safeParse(input ?? []);
  if (parsed.success) return { ok: true, triggers: parsed.data };
  return { ok: false, details: parsed.error.issues.map((i) => ({ path: ["triggers", ...i.path.map(String)].join("."), message: i.message })) };
}

export const isCron = (trigger: Trigger): trigger is CronTrigger => "cron" in trigger;

/** Does a cron trigger fire in the minute slot starting at `slot`? */
export const firesAt = (trigger: CronTrigger, slot: Date) => parseCron(trigger.cron)?.match(slot) ?? false;

/** The document id an event trigger starts its instance for, or undefined when the event does not match. */
export function eventTriggerDocument(trigger: EventTrigger, event: { type: string; id: string; data: unknown }): string | undefined {
  if (trigger.event !== event.type || !matchesAll(trigger.match, event)) return undefined;
  const value = isRef(trigger.documentId) ? getPath(event, trigger.documentId.$ref) : trigger.documentId;
  return typeof value === "string" && value.length > 0 ? value.slice(0, 128) : typeof value === "number" ? String(value) : undefined;
}

/**
 * Trigger starts in a row from one original event: an instance a trigger started may publish
 * events that start further instances (its own template's included), but not without end. A
 * template triggered by `workflow.created` would otherwise start instances for ever, two such
 * templates twice as many each generation. An instance keeps its depth in its metadata
 * (`triggerDepth`, beside `triggeredBy`), and its events carry it to the dispatch.
 */
export const MAX_TRIGGER_DEPTH = 4;

/** The trigger depth an instance's metadata records: 0 for one people or a cron started. */
export function triggerDepthOf(metadata: unknown): number {
  const depth = metadata && typeof metadata === "object" ? (metadata as { triggerDepth?: unknown }).triggerDepth : undefined;
  return typeof depth === "number" && Number.isInteger(depth) && depth > 0 ? depth : 0;
}
