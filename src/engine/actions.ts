// What an action step does, pure: resolve `$ref`s against the instance, write `set` into
// data, check `emit.data` against the event type's schema, and key the email by the visit.
import { EVENT_CATALOG, type EventType } from "../events/catalog";
import type { ActionStep } from "./definition";
import { resolveRefs, setPath } from "./paths";
import type { Effect } from "./state";

export type ActionResult = { ok: true; data: Record<string, unknown>; effects: Effect[]; summary: string } | { ok: false; reason: string };

const asText = (value: unknown) => (typeof value === "string" ? value : value === null || value === undefined ? "" : JSON.stringify(value));

export function runAction(
  step: ActionStep,
  root: { input: unknown; data: Record<string, unknown>; documentId: string; now: string },
  visitKey: string,
): ActionResult {
  const effects: Effect[] = [];
  const done: string[] = [];
  let data = root.data;

  if (step.emit) {
    const type = step.emit.type as EventType;
    const resolved = resolveRefs(step.emit.data, root);
    const parsed = EVENT_CATALOG[type].data.safeParse(resolved);
    if (!parsed.success) {
      const paths = parsed.error.issues.map((i) => `emit.data.${i.path.map(String).join(".")}: ${i.message}`);
      return { ok: false, reason: `emit ${type}: data does not match the event schema (${paths.join("; ")})` };
    }
    effects.push({ kind: "publish", type, data: parsed.data as Record<string, unknown> });
    done.push(`emitted ${type}`);
  }
  if (step.set) {
    for (const [path, value] of Object.entries(step.set)) {
      // Each value reads the instance as it was before this action (set is one assignment).
      data = setPath(data, path.slice("data.".length), resolveRefs(value, root));
    }
    done.push(`set ${Object.keys(step.set).join(", ")}`);
  }
  if (step.email) {
    const to = asText(resolveRefs(step.email.to, root));
    if (!/^[^\s@]+@[^\s@]+$/.test(to)) return { ok: false, reason: `email: '${to.slice(0, 100)}' is not an email address` };
    effects.push({
      kind: "email",
      key: visitKey,
      to,
      subject: asText(resolveRefs(step.email.subject, root)).slice(0, 200),
      text: asText(resolveRefs(step.email.text, root)).slice(0, 10_000),
    });
    done.push(`emailed ${to}`);
  }
  return { ok: true, data, effects, summary: done.join("; ") };
}
