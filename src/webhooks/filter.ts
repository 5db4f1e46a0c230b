// The webhook payload filter: `{<path>: value | {"$op": operand}}`, every entry must hold.
// Pure: checked once when a webhook is saved (problems name their path) and evaluated against
// each published event, before its delivery rows are written.
//
// Semantics, chosen to match what MongoDB-style filters do elsewhere (Svix, Hookdeck):
// - a path is dot-separated keys from the event's root (`data.patientId`, `type`); a numeric
//   segment indexes an array (`data.items.0.sku`);
// - a plain value matches only an equal JSON value of the same type (no "5" == 5 coercion);
// - a missing path fails every test except `$ne` (holds) and `{"$exists": false}` (holds);
// - `$gt`/`$gte`/`$lt`/`$lte` hold only for numbers; a value of another type does not match.
import { jsonEqual } from "../lib/json-equal";

export type Scalar = string | number | boolean | null;
export type Operator = "$in" | "$ne" | "$gt" | "$gte" | "$lt" | "$lte" | "$exists";
export type Condition = { op: "$eq"; value: unknown } | { op: Operator; value: unknown };
export type Filter = Record<string, unknown>;

export interface FilterProblem {
  /** Where in the filter, e.g. `data.patientId.$in`. */
  path: string;
  message: string;
}

export const MAX_FILTER_ENTRIES = 20;
export const MAX_PATH_LENGTH = 200;
export const MAX_IN_VALUES = 100;
export const MAX_FILTER_JSON = 4096;

const OPERATORS = new Set<string>(["$in", "$ne", "$gt", "$gte", "$lt", "$lte", "$exists"]);
const SEGMENT = /^[A-Za-z0-9_-]+$/;

const isScalar = (v: unknown): v is Scalar => v === null || ["string", "number", "boolean"].includes(typeof v);
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function operandProblem(op: string, operand: unknown): string | undefined {
  switch (op) {
    case "$in":
      if (!Array.isArray(operand) || operand.length === 0 || operand.length > MAX_IN_VALUES) {
        return `$in takes an array of 1 to ${MAX_IN_VALUES} values`;
      }
      return operand.every(isScalar) ? undefined : "$in values must be strings, numbers, booleans or null";
    case "$ne":
      return isScalar(operand) ? undefined : "$ne takes a string, number, boolean or null";
    case "$gt":
    case "$gte":
    case "$lt":
    case "$lte":
      return typeof operand === "number" && Number.isFinite(operand) ? undefined : `${op} takes a number`;
    case "$exists":
      return typeof operand === "boolean" ? undefined : "$exists takes true or false";
    default:
      return `Unknown operator '${op.slice(0, 20)}'; use one of ${[...OPERATORS].join(", ")}`;
  }
}

/** Every problem of a proposed filter, each with its path; an empty list means it is valid. */
export function filterProblems(filter: unknown): FilterProblem[] {
  if (!isPlainObject(filter)) return [{ path: "", message: "A filter is an object of path → value or {operator: operand}" }];
  const problems: FilterProblem[] = [];
  const entries = Object.entries(filter);
  if (entries.length === 0) problems.push({ path: "", message: "A filter needs at least one entry (or send null for none)" });
  if (entries.length > MAX_FILTER_ENTRIES) problems.push({ path: "", message: `At most ${MAX_FILTER_ENTRIES} entries` });
  if (JSON.stringify(filter).length > MAX_FILTER_JSON) problems.push({ path: "", message: `At most ${MAX_FILTER_JSON} characters of JSON` });
  for (const [path, test] of entries) {
    const shown = path.slice(0, MAX_PATH_LENGTH);
    if (path.length > MAX_PATH_LENGTH || !path.split(".").every((s) => SEGMENT.test(s))) {
      problems.push({ path: shown, message: `A path is dot-separated keys of letters, digits, _ and - (at most ${MAX_PATH_LENGTH} characters)` });
      continue;
    }
    if (!isPlainObject(test)) continue; // a plain value (scalar or array): equality
    const keys = Object.keys(test);
    if (keys.length !== 1) {
      problems.push({ path: shown, message: 'An operator object has exactly one key, e.g. {"$in": [...]}' });
      continue;
    }
    const op = keys[0]!;
    const problem = operandProblem(op, test[op]);
    if (problem) problems.push({ path: `${shown}.${op.slice(0, 20)}`, message: problem });
  }
  return problems;
}

/** The value at a dot path, or `undefined` when any segment is missing. */
export function valueAt(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const segment of path.split(".")) {
    if (Array.isArray(node) && /^\d+$/.test(segment)) node = node[Number(segment)];
    else if (isPlainObject(node) && Object.hasOwn(node, segment)) node = node[segment];
    else return undefined;
  }
  return node;
}

function holds(actual: unknown, test: unknown): boolean {
  if (!isPlainObject(test)) return actual !== undefined && jsonEqual(actual, test);
  const [op, operand] = Object.entries(test)[0]!;
  switch (op) {
    case "$exists":
      return (actual !== undefined) === operand;
    case "$ne":
      return actual === undefined || !jsonEqual(actual, operand);
    case "$in":
      return actual !== undefined && (operand as unknown[]).some((v) => jsonEqual(actual, v));
    case "$gt":
      return typeof actual === "number" && actual > (operand as number);
    case "$gte":
      return typeof actual === "number" && actual >= (operand as number);
    case "$lt":
      return typeof actual === "number" && actual < (operand as number);
    case "$lte":
      return typeof actual === "number" && actual <= (operand as number);
    default:
      return false; // unreachable for a filter that passed filterProblems
  }
}

/** Whether the event (`{id, type, timestamp, data}`) passes every entry of the filter. */
export function matchesFilter(filter: Filter | null | undefined, event: unknown): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([path, test]) => holds(valueAt(event, path), test));
}
