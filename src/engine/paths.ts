// Reading instance values by dotted path, `$ref` substitution and `match` objects (their
// equality is lib/json-equal's): what choices, actions, wait matches and triggers share.
// Paths are `input.a.b`, `data.x`, `documentId`, `now` (the time the step runs) and, for
// events, `data.x`, `type`, `id`.
import { jsonEqual } from "../lib/json-equal";

/** The value at `path` in `root` (array items by index), or undefined when absent. */
export function getPath(root: unknown, path: string): unknown {
  let value: unknown = root;
  for (const part of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    if (!Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * A copy of `target` with `path` set to `value`, creating objects on the way. Each part becomes
 * an own property, as JSON.parse would make it: assigning to a part named `__proto__` would
 * replace the object's prototype instead (template paths cannot name one; definition.ts).
 */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split(".") as [string, ...string[]];
  const copy = { ...target };
  const child = Object.hasOwn(copy, head) ? copy[head] : undefined;
  const next =
    rest.length === 0
      ? value
      : setPath(child && typeof child === "object" && !Array.isArray(child) ? (child as Record<string, unknown>) : {}, rest.join("."), value);
  Object.defineProperty(copy, head, { value: next, enumerable: true, writable: true, configurable: true });
  return copy;
}

export const isRef = (value: unknown): value is { $ref: string } =>
  !!value &&
  typeof value === "object" &&
  !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  typeof (value as { $ref?: unknown }).$ref === "string";

/** `value` with every `{"$ref": path}` replaced by what `path` reads in `root` (null when absent). */
export function resolveRefs(value: unknown, root: unknown): unknown {
  if (isRef(value)) return getPath(root, value.$ref) ?? null;
  if (Array.isArray(value)) return value.map((item) => resolveRefs(item, root));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, root)]));
  }
  return value;
}

/** True when every `path: value` of `match` equals what `path` reads in `subject`. */
export const matchesAll = (match: Record<string, unknown> | undefined, subject: unknown) =>
  Object.entries(match ?? {}).every(([path, expected]) => jsonEqual(getPath(subject, path), expected));
