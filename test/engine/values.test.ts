// Durations, paths, $ref and choice tests: the small pure pieces the runner is made of.
import { describe, expect, it } from "vitest";
import { choose, holds } from "../../src/engine/choice";
import { parseDuration } from "../../src/engine/duration";
import { getPath, matchesAll, resolveRefs, setPath } from "../../src/engine/paths";

describe("parseDuration", () => {
  it.each([
    ["PT4H", 4 * 3600_000],
    ["P2D", 2 * 86_400_000],
    ["P1W", 7 * 86_400_000],
    ["P1DT12H", 36 * 3600_000],
    ["PT90M", 90 * 60_000],
    ["PT0.5S", 500],
  ])("%s", (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(["", "P", "PT", "4H", "P1M", "P1Y", "PT0S", "P400D", "pt4h", "P1DT"])("refuses %j", (text) => expect(parseDuration(text)).toBeUndefined());
});

describe("paths and $ref", () => {
  const root = { input: { a: { b: 2 }, list: [10, 20] }, data: {}, documentId: "doc-1" };
  it("reads nested fields and array items; absent is undefined", () => {
    expect(getPath(root, "input.a.b")).toBe(2);
    expect(getPath(root, "input.list.1")).toBe(20);
    expect(getPath(root, "input.nope.deeper")).toBeUndefined();
    expect(getPath(root, "input.a.toString")).toBeUndefined();
  });
  it("resolves $ref anywhere in a value, absent as null, other objects untouched", () => {
    expect(
      resolveRefs({ x: { $ref: "documentId" }, y: [{ $ref: "input.a.b" }], z: { $ref: "input.none" }, w: { $ref: "input.a.b", k: 1 } }, root),
    ).toEqual({
      x: "doc-1",
      y: [2],
      z: null,
      w: { $ref: "input.a.b", k: 1 },
    });
  });
  it("sets a nested path without touching the original", () => {
    const before = { a: { keep: 1 } };
    expect(setPath(before, "a.b.c", 3)).toEqual({ a: { keep: 1, b: { c: 3 } } });
    expect(before).toEqual({ a: { keep: 1 } });
  });
  it("sets a part named __proto__ as an own property, never the prototype", () => {
    const after = setPath({}, "__proto__.polluted", 1);
    expect(Object.getPrototypeOf(after)).toBe(Object.prototype);
    expect(Object.hasOwn(after, "__proto__")).toBe(true);
    expect(JSON.parse(JSON.stringify(after))).toEqual(JSON.parse('{"__proto__":{"polluted":1}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it("matches every entry by JSON equality", () => {
    const event = { type: "lab_test.completed", data: { labTestId: "lt-1", flags: { urgent: true } } };
    expect(matchesAll({ "data.labTestId": "lt-1", "data.flags": { urgent: true } }, event)).toBe(true);
    expect(matchesAll({ "data.labTestId": "lt-2" }, event)).toBe(false);
    expect(matchesAll(undefined, event)).toBe(true);
  });
});

describe("choice tests", () => {
  it.each([
    ["eq", "II", "II", true],
    ["eq", { a: 1 }, { a: 1 }, true],
    ["eq", undefined, null, false],
    ["ne", "II", "III", true],
    ["gt", 5, 3, true],
    ["gt", "5", 3, false],
    ["gte", 3, 3, true],
    ["lt", "a", "b", true],
    ["lte", 4, 3, false],
    ["in", "II", ["I", "II"], true],
    ["in", "V", ["I", "II"], false],
    ["exists", 0, true, true],
    ["exists", undefined, true, false],
    ["exists", null, false, true],
  ] as const)("%s %j vs %j → %s", (op, actual, operand, expected) => {
    expect(holds(op, actual, operand)).toBe(expected);
  });

  it("takes the first rule that holds, else the default", () => {
    const rules = [
      { path: "input.n", gt: 10, next: "big" },
      { path: "input.n", gt: 5, next: "medium" },
    ];
    expect(choose(rules, "small", { input: { n: 20 } })).toBe("big");
    expect(choose(rules, "small", { input: { n: 7 } })).toBe("medium");
    expect(choose(rules, "small", { input: {} })).toBe("small");
  });
});

describe("triggers", async () => {
  const { checkTriggers, eventTriggerDocument, firesAt } = await import("../../src/engine/triggers");
  it("accepts event and cron triggers", () => {
    expect(
      checkTriggers([
        { event: "lab_test.completed", documentId: { $ref: "data.patientId" } },
        { cron: "0 8 * * 1", documentId: "weekly-audit" },
      ]).ok,
    ).toBe(true);
  });
  it.each([
    [[{ event: "lab.done", documentId: "x" }], "triggers.0.event"],
    [[{ cron: "every monday", documentId: "x" }], "triggers.0.cron"],
    [[{ cron: "0 0 8 * * 1", documentId: "x" }], "triggers.0.cron"],
  ])("rejects %j at %s", (triggers, path) => {
    const result = checkTriggers(triggers);
    expect(result.ok ? [] : result.details.map((d) => d.path)).toContain(path);
  });
  it("cron fires in its UTC minute slot only", () => {
    const t = { cron: "0 8 * * 1", documentId: "a" };
    expect(firesAt(t, new Date("2026-03-02T08:00:00Z"))).toBe(true); // a Monday
    expect(firesAt(t, new Date("2026-03-02T08:01:00Z"))).toBe(false);
    expect(firesAt(t, new Date("2026-03-03T08:00:00Z"))).toBe(false);
  });
  it("an event trigger resolves documentId from the event, honouring match", () => {
    const t = { event: "lab_test.completed", match: { "data.testCode": "CBC" }, documentId: { $ref: "data.patientId" } };
    const event = { id: "evt_1", type: "lab_test.completed", data: { patientId: "pat-1", testCode: "CBC" } };
    expect(eventTriggerDocument(t, event)).toBe("pat-1");
    expect(eventTriggerDocument(t, { ...event, data: { patientId: "pat-1", testCode: "X" } })).toBeUndefined();
  });
});
