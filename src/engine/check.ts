// The definition checker, pure: shape first (definition.ts), then the graph of every step map
// (top level and each parallel branch): a missing or unknown `start`, a `next` naming no step
// of the same map, unreachable steps, a choice without `default`, a task whose outcomes and
// `next` disagree, a join larger than its branches, an `emit` of no catalog type, and cycles
// that pass no task or wait (they would spin without a human or a clock). Each problem comes
// back with its path, e.g. `definition.steps.review.next.approve`.
import { isEventType } from "../events/catalog";
import type { ErrorDetail } from "../errors";
import { type Definition, definitionSchema, MAX_DEFINITION_BYTES, type Step, type StepMap } from "./definition";

export type CheckResult = { ok: true; definition: Definition } | { ok: false; details: ErrorDetail[] };

export function checkDefinition(input: unknown, root = "definition"): CheckResult {
  if (new TextEncoder().encode(JSON.stringify(input ?? null)).byteLength > MAX_DEFINITION_BYTES) {
    return { ok: false, details: [{ path: root, message: `at most ${MAX_DEFINITION_BYTES} bytes of JSON` }] };
  }
  const parsed = definitionSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      details: parsed.error.issues.map((issue) => ({ path: [root, ...issue.path.map(String)].join("."), message: issue.message })),
    };
  }
  const details: ErrorDetail[] = [];
  checkMap(parsed.data, root, details);
  return details.length ? { ok: false, details } : { ok: true, definition: parsed.data as Definition };
}

/** Every (label, target) a step can move to, labelled by the path of the field naming it. */
export function edgesOf(step: Step): [string, string][] {
  switch (step.type) {
    case "task": {
      const edges = Object.entries(step.next).map(([outcome, to]): [string, string] => [`next.${outcome}`, to]);
      if (step.onOverdue && typeof step.onOverdue === "object" && "goto" in step.onOverdue) edges.push(["onOverdue.goto", step.onOverdue.goto]);
      return edges;
    }
    case "choice": {
      const edges = step.choices.map((rule, i): [string, string] => [`choices.${i}.next`, rule.next]);
      if (step.default) edges.push(["default", step.default]);
      return edges;
    }
    case "wait":
      return step.onTimeout
        ? [
            ["next", step.next],
            ["onTimeout", step.onTimeout],
          ]
        : [["next", step.next]];
    case "action":
    case "parallel":
      return [["next", step.next]];
    default:
      return [];
  }
}

function checkMap(map: StepMap, path: string, details: ErrorDetail[]) {
  const problem = (at: string, message: string) => details.push({ path: at, message });
  const names = Object.keys(map.steps);
  const exists = (name: string) => Object.hasOwn(map.steps, name);

  if (map.start === undefined) problem(`${path}.start`, "start is required");
  else if (!exists(map.start)) problem(`${path}.start`, `no step named '${map.start}'`);

  for (const [name, step] of Object.entries(map.steps)) {
    const at = `${path}.steps.${name}`;
    for (const [field, target] of edgesOf(step)) {
      if (!exists(target)) problem(`${at}.${field}`, `no step named '${target}' in this map`);
    }
    if (step.type === "choice" && step.default === undefined) problem(`${at}.default`, "a choice needs a default");
    if (step.type === "task") {
      for (const outcome of step.outcomes)
        if (!Object.hasOwn(step.next, outcome)) problem(`${at}.next.${outcome}`, "every outcome needs a next step");
      for (const outcome of Object.keys(step.next))
        if (!step.outcomes.includes(outcome)) problem(`${at}.next.${outcome}`, "not one of the task's outcomes");
    }
    if (step.type === "action" && step.emit && !isEventType(step.emit.type))
      problem(`${at}.emit.type`, `'${step.emit.type}' is not a catalog event type`);
    if (step.type === "wait" && step.event && !isEventType(step.event.type))
      problem(`${at}.event.type`, `'${step.event.type}' is not a catalog event type`);
    if (step.type === "parallel") {
      if (typeof step.join === "number" && step.join > step.branches.length)
        problem(`${at}.join`, `at most ${step.branches.length} (the number of branches)`);
      step.branches.forEach((branch, i) => {
        checkMap(branch, `${at}.branches.${i}`, details);
      });
    }
  }

  if (map.start !== undefined && exists(map.start)) {
    const reached = reachable(map, map.start);
    for (const name of names) if (!reached.has(name)) problem(`${path}.steps.${name}`, "unreachable from start");
  }
  for (const name of spinningCycles(map)) problem(`${path}.steps.${name}`, "on a cycle with no task or wait: it would never stop");
}

function reachable(map: StepMap, start: string): Set<string> {
  const seen = new Set<string>([start]);
  const queue = [start];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    const step = map.steps[name];
    for (const [, to] of step ? edgesOf(step) : []) {
      if (Object.hasOwn(map.steps, to) && !seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  return seen;
}

// A step halts the engine when it hands over to a person or the clock. A parallel step counts
// as halting: its branches normally do; one that does not is stopped by the run-time step cap.
const halts = (step: Step) => step.type === "task" || step.type === "wait" || step.type === "parallel";

/** One step of each cycle made only of choices and actions (one name per cycle, its first found). */
function spinningCycles(map: StepMap): string[] {
  const found: string[] = [];
  const state = new Map<string, "open" | "done">();
  const visit = (name: string) => {
    state.set(name, "open");
    const step = map.steps[name];
    for (const [, to] of step && !halts(step) ? edgesOf(step) : []) {
      const next = map.steps[to];
      if (!next || halts(next)) continue;
      if (state.get(to) === "open") found.push(to);
      else if (!state.has(to)) visit(to);
    }
    state.set(name, "done");
  };
  for (const name of Object.keys(map.steps)) if (!state.has(name)) visit(name);
  return [...new Set(found)];
}

/** Steps on the longest path from start (back edges of a depth-first walk ignored); parallel counts its longest branch. */
export function longestPath(map: StepMap): number {
  const memo = new Map<string, number>();
  const onPath = new Set<string>();
  const walk = (name: string): number => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const step = map.steps[name];
    if (!step || onPath.has(name)) return 0;
    onPath.add(name);
    const own = step.type === "parallel" ? 1 + Math.max(...step.branches.map(longestPath)) : 1;
    const after = Math.max(0, ...edgesOf(step).map(([, to]) => (onPath.has(to) ? 0 : walk(to))));
    onPath.delete(name);
    memo.set(name, own + after);
    return own + after;
  };
  return map.start ? walk(map.start) : 0;
}
