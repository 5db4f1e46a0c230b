// Values JSON.parse accepts but cannot carry faithfully into storage and back: the request is
// refused (400 with the path) instead of silently storing something else.
//   - 1e309 parses to Infinity and is stored as null; 9007199254740993 parses to …992. Numbers
//     must be finite and within ±(2^53 - 1), where every integer is exact.
//   - "\ud800" (a lone surrogate) is not Unicode text: D1 stores U+FFFD in its place and the
//     value never matches again.
//   - A "__proto__" key is an own property after JSON.parse, but object spreads and zod drop
//     or misread it; refusing it leaves no doubt about what was stored.
//   - Arrays and objects nested more than 64 deep: JSON.parse takes 100,000 levels, but
//     recursive code does not (hashing an Idempotency-Key's body overflowed the stack at a few
//     thousand, a 500), nor do receivers' parsers (serde_json stops at 128, and a delivery
//     wraps `data` in two more levels).
import type { ErrorDetail } from "../errors";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_PROBLEMS = 10;
export const MAX_NESTING = 64;

const wellFormed = (text: string) => !LONE_SURROGATE.test(text);

/** Where a value sits: its key and its parent's place, so a path costs nothing until it is reported. */
interface Place {
  key: string;
  parent: Place | null;
}

const pathOf = (place: Place | null): string => {
  const keys: string[] = [];
  for (let p = place; p; p = p.parent) keys.push(p.key);
  return keys.reverse().join(".");
};

/** The problems in a parsed JSON value, each with its dotted path (at most ten). */
export function unsafeJsonValues(root: unknown): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  // Iterative, so a deeply nested body cannot exhaust the stack. `depth`: arrays and objects around the value.
  const stack: [value: unknown, place: Place | null, depth: number][] = [[root, null, 0]];
  while (stack.length > 0 && problems.length < MAX_PROBLEMS) {
    const [value, place, depth] = stack.pop()!;
    if (typeof value === "number") {
      if (!Number.isFinite(value)) problems.push({ path: pathOf(place), message: "Number is too large to represent" });
      else if (!Number.isSafeInteger(Math.trunc(value)))
        problems.push({ path: pathOf(place), message: "Numbers must be within ±9007199254740991 (2^53 - 1)" });
    } else if (typeof value === "string") {
      if (!wellFormed(value)) problems.push({ path: pathOf(place), message: "String contains an unpaired surrogate (ill-formed Unicode)" });
    } else if (value === null || typeof value !== "object") {
      // true, false and null carry none. (A BigInt, which only RPC can pass, is refused by its asJson.)
    } else if (depth === MAX_NESTING) {
      problems.push({ path: pathOf(place), message: `Arrays and objects may nest at most ${MAX_NESTING} levels deep` });
    } else if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) stack.push([item, { key: String(i), parent: place }, depth + 1]);
    } else {
      for (const [key, item] of Object.entries(value)) {
        const at: Place = { key, parent: place };
        if (key === "__proto__") problems.push({ path: pathOf(at), message: 'The key "__proto__" is not allowed' });
        else if (!wellFormed(key)) problems.push({ path: pathOf(at), message: "Key contains an unpaired surrogate (ill-formed Unicode)" });
        else stack.push([item, at, depth + 1]);
      }
    }
  }
  return problems;
}
