// The tests a choice step can make on one value. First matching choice wins (choice step).
import { jsonEqual } from "../lib/json-equal";
import { getPath } from "./paths";

export const CHOICE_OPERATORS = ["eq", "ne", "gt", "gte", "lt", "lte", "in", "exists"] as const;
export type ChoiceOperator = (typeof CHOICE_OPERATORS)[number];

// Order comparisons only between two numbers or two strings; anything else does not hold.
function compare(a: unknown, b: unknown): number | undefined {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

export function holds(operator: ChoiceOperator, actual: unknown, operand: unknown): boolean {
  switch (operator) {
    case "eq":
      return actual !== undefined && jsonEqual(actual, operand);
    case "ne":
      return !jsonEqual(actual, operand);
    case "in":
      return Array.isArray(operand) && operand.some((item) => jsonEqual(actual, item));
    case "exists":
      return (actual !== undefined && actual !== null) === operand;
    default: {
      const order = compare(actual, operand);
      if (order === undefined) return false;
      return { gt: order > 0, gte: order >= 0, lt: order < 0, lte: order <= 0 }[operator];
    }
  }
}

export interface ChoiceRule {
  path: string;
  next: string;
  [operator: string]: unknown;
}

/** The operator a rule uses (the checker guarantees exactly one). */
export const operatorOf = (rule: ChoiceRule) => CHOICE_OPERATORS.find((op) => Object.hasOwn(rule, op));

/** The `next` of the first rule that holds on `root`, else `fallback`. */
export function choose(rules: ChoiceRule[], fallback: string, root: unknown): string {
  for (const rule of rules) {
    const op = operatorOf(rule);
    if (op && holds(op, getPath(root, rule.path), rule[op])) return rule.next;
  }
  return fallback;
}
