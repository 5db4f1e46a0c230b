import { describe, expect, it } from "vitest";
import { filterProblems, matchesFilter, valueAt } from "../../src/webhooks/filter";

const event = {
  id: "evt_1",
  type: "invoice.paid",
  timestamp: "2026-11-28T12:00:00.000Z",
  data: {
    patientId: "pat_1",
    amountCents: 1200,
    paid: true,
    note: null,
    tags: ["vip", "cat"],
    owner: { address: { city: "Oslo" } },
    items: [{ sku: "A1" }],
  },
};

describe("filter evaluation", () => {
  it.each([
    ["equality on a string", { "data.patientId": "pat_1" }, true],
    ["equality fails on another value", { "data.patientId": "pat_2" }, false],
    ["equality does not coerce types", { "data.amountCents": "1200" }, false],
    ["equality on booleans", { "data.paid": true }, true],
    ["equality on null", { "data.note": null }, true],
    ["equality on arrays", { "data.tags": ["vip", "cat"] }, true],
    ["equality on arrays is ordered", { "data.tags": ["cat", "vip"] }, false],
    ["nested path", { "data.owner.address.city": "Oslo" }, true],
    ["array index segment", { "data.items.0.sku": "A1" }, true],
    ["a top-level field", { type: "invoice.paid" }, true],
    ["$in holds", { "data.patientId": { $in: ["pat_9", "pat_1"] } }, true],
    ["$in fails", { "data.patientId": { $in: ["pat_9"] } }, false],
    ["$in on a missing path", { "data.missing": { $in: ["x"] } }, false],
    ["$ne holds", { "data.patientId": { $ne: "pat_2" } }, true],
    ["$ne fails", { "data.patientId": { $ne: "pat_1" } }, false],
    ["$ne holds on a missing path", { "data.missing": { $ne: "x" } }, true],
    ["$gt holds", { "data.amountCents": { $gt: 1000 } }, true],
    ["$gt is strict", { "data.amountCents": { $gt: 1200 } }, false],
    ["$gte at the bound", { "data.amountCents": { $gte: 1200 } }, true],
    ["$lt holds", { "data.amountCents": { $lt: 1201 } }, true],
    ["$lte at the bound", { "data.amountCents": { $lte: 1200 } }, true],
    ["$lte fails", { "data.amountCents": { $lte: 1199 } }, false],
    ["$gt on a string is no match (type mismatch)", { "data.patientId": { $gt: 0 } }, false],
    ["$lt on a missing path", { "data.missing": { $lt: 5 } }, false],
    ["$exists true on a present field", { "data.patientId": { $exists: true } }, true],
    ["$exists true counts null as present", { "data.note": { $exists: true } }, true],
    ["$exists false on a missing field", { "data.missing": { $exists: false } }, true],
    ["$exists false on a present field", { "data.patientId": { $exists: false } }, false],
    ["a path through a scalar is missing", { "data.patientId.length": { $exists: true } }, false],
    ["every entry must hold", { "data.patientId": "pat_1", "data.amountCents": { $gt: 5000 } }, false],
    ["all entries hold", { "data.patientId": "pat_1", "data.amountCents": { $gt: 500 } }, true],
  ])("%s", (_name, filter, expected) => {
    expect(filterProblems(filter)).toEqual([]);
    expect(matchesFilter(filter, event)).toBe(expected);
  });

  it("no filter matches everything", () => {
    expect(matchesFilter(null, event)).toBe(true);
    expect(matchesFilter(undefined, event)).toBe(true);
  });

  it("reads paths without reaching into prototypes", () => {
    expect(valueAt(event, "data.constructor")).toBeUndefined();
    expect(valueAt(event, "data.tags.5")).toBeUndefined();
    expect(valueAt(event, "data.owner.address")).toEqual({ city: "Oslo" });
  });
});

describe("filter validation", () => {
  it.each([
    ["not an object", [1], ""],
    ["an empty filter", {}, ""],
    ["an unknown $ operator", { "data.x": { $regex: "a" } }, "data.x.$regex"],
    ["two keys in an operator object", { "data.x": { $gt: 1, $lt: 5 } }, "data.x"],
    ["a plain object value", { "data.x": { a: 1 } }, "data.x.a"],
    ["$in not an array", { "data.x": { $in: "a" } }, "data.x.$in"],
    ["$in empty", { "data.x": { $in: [] } }, "data.x.$in"],
    ["$in of objects", { "data.x": { $in: [{ a: 1 }] } }, "data.x.$in"],
    ["$gt of a string", { "data.x": { $gt: "5" } }, "data.x.$gt"],
    ["$lte of null", { "data.x": { $lte: null } }, "data.x.$lte"],
    ["$exists of a string", { "data.x": { $exists: "yes" } }, "data.x.$exists"],
    ["$ne of an array", { "data.x": { $ne: [1] } }, "data.x.$ne"],
    ["an empty path segment", { "data..x": 1 }, "data..x"],
    ["a path with spaces", { "data.x y": 1 }, "data.x y"],
  ])("%s → a problem at %j", (_name, filter, path) => {
    const problems = filterProblems(filter);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map((p) => p.path)).toContain(path);
  });

  it("bounds the number of entries", () => {
    const big = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`data.f${i}`, i]));
    expect(
      filterProblems(big)
        .map((p) => p.message)
        .join(),
    ).toMatch(/At most 20 entries/);
  });
});
