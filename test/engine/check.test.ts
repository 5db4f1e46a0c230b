// Every rejection the contract names, with the path the 400 reports in `details`.
import { describe, expect, it } from "vitest";
import { checkDefinition, longestPath } from "../../src/engine/check";
import { define, labReview, parallelAsk, prescription } from "./fixtures";

const task = (next: Record<string, string>, extra = {}) => ({ type: "task", title: "t", assignee: { role: "staff" }, next, ...extra });
const end = { type: "succeed" };

describe("checkDefinition accepts", () => {
  it.each([
    [
      "two approvals from one named user, reassigned to a role when overdue",
      {
        start: "a",
        steps: {
          a: task(
            { approve: "b", reject: "b" },
            { assignee: { user: "s1" }, approvals: 2, dueIn: "P1D", onOverdue: { reassign: { role: "admin" } } },
          ),
          b: end,
        },
      },
    ],
    ["prescription", prescription],
    ["lab review", labReview],
    ["parallel all", parallelAsk("all")],
    ["parallel N", parallelAsk(2, 3)],
    ["a loop through a task", { start: "a", steps: { a: task({ approve: "b", reject: "a" }), b: end } }],
  ])("%s", (_, definition) => {
    expect(checkDefinition(definition)).toMatchObject({ ok: true });
  });

  it("fills the defaults: approvals 1, outcomes approve/reject, join all", () => {
    const def = define({ start: "a", steps: { a: task({ approve: "b", reject: "b" }), b: end } });
    expect(def.steps.a).toMatchObject({ approvals: 1, outcomes: ["approve", "reject"] });
  });
});

describe("checkDefinition rejects, naming the path", () => {
  it.each([
    ["a missing start", { steps: { a: end } }, "definition.start"],
    ["a start naming no step", { start: "nope", steps: { a: end } }, "definition.start"],
    ["a next naming no step", { start: "a", steps: { a: task({ approve: "b", reject: "ghost" }), b: end } }, "definition.steps.a.next.reject"],
    ["an unreachable step", { start: "a", steps: { a: end, island: end } }, "definition.steps.island"],
    [
      "a choice without default",
      { start: "c", steps: { c: { type: "choice", choices: [{ path: "input.x", eq: 1, next: "b" }] }, b: end } },
      "definition.steps.c.default",
    ],
    [
      "a cycle with no task or wait",
      {
        start: "a",
        steps: {
          a: { type: "action", set: { "data.n": 1 }, next: "c" },
          c: { type: "choice", choices: [{ path: "data.n", eq: 1, next: "a" }], default: "b" },
          b: end,
        },
      },
      "definition.steps.a",
    ],
    ["an unknown step type", { start: "a", steps: { a: { type: "sleep" } } }, "definition.steps.a.type"],
    [
      "two approvals from one named user",
      { start: "a", steps: { a: task({ approve: "b", reject: "b" }, { assignee: { user: "s1" }, approvals: 2 }), b: end } },
      "definition.steps.a.approvals",
    ],
    [
      "a set through __proto__",
      { start: "x", steps: { x: { type: "action", set: { "data.__proto__.x": 1 }, next: "b" }, b: end } },
      "definition.steps.x.set.data.__proto__.x",
    ],
    [
      "a choice on constructor",
      { start: "c", steps: { c: { type: "choice", choices: [{ path: "data.constructor", eq: 1, next: "b" }], default: "b" }, b: end } },
      "definition.steps.c.choices.0.path",
    ],
    ["an outcome without next", { start: "a", steps: { a: task({ approve: "b" }), b: end } }, "definition.steps.a.next.reject"],
    ["a next for no outcome", { start: "a", steps: { a: task({ approve: "b", reject: "b", maybe: "b" }), b: end } }, "definition.steps.a.next.maybe"],
    ["a bad duration", { start: "a", steps: { a: task({ approve: "b", reject: "b" }, { dueIn: "4 hours" }), b: end } }, "definition.steps.a.dueIn"],
    ["a month duration", { start: "w", steps: { w: { type: "wait", for: "P1M", next: "b" }, b: end } }, "definition.steps.w.for"],
    [
      "emit of no catalog type",
      { start: "x", steps: { x: { type: "action", emit: { type: "pet.sneezed", data: {} }, next: "b" }, b: end } },
      "definition.steps.x.emit.type",
    ],
    ["an action doing nothing", { start: "x", steps: { x: { type: "action", next: "b" }, b: end } }, "definition.steps.x"],
    [
      "a set outside data",
      { start: "x", steps: { x: { type: "action", set: { "input.a": 1 }, next: "b" }, b: end } },
      "definition.steps.x.set.input.a",
    ],
    [
      "a choice with two operators",
      { start: "c", steps: { c: { type: "choice", choices: [{ path: "input.x", eq: 1, gt: 0, next: "b" }], default: "b" }, b: end } },
      "definition.steps.c.choices.0",
    ],
    [
      "a choice path outside the instance",
      { start: "c", steps: { c: { type: "choice", choices: [{ path: "env.SECRET", eq: 1, next: "b" }], default: "b" }, b: end } },
      "definition.steps.c.choices.0.path",
    ],
    [
      "a wait with both for and event",
      { start: "w", steps: { w: { type: "wait", for: "PT1H", event: { type: "lab_test.completed" }, next: "b" }, b: end } },
      "definition.steps.w",
    ],
    [
      "a wait for no catalog event",
      { start: "w", steps: { w: { type: "wait", event: { type: "lab.done" }, next: "b" }, b: end } },
      "definition.steps.w.event.type",
    ],
    ["a join above the branch count", { ...parallelAsk(3), start: "ask" }, "definition.steps.ask.join"],
    [
      "a problem inside a branch",
      {
        start: "p",
        steps: {
          p: {
            type: "parallel",
            branches: [
              { start: "x", steps: { x: end } },
              { start: "y", steps: { x: end } },
            ],
            next: "b",
          },
          b: end,
        },
      },
      "definition.steps.p.branches.1.start",
    ],
    ["an unknown field", { start: "a", steps: { a: { type: "succeed", colour: "red" } } }, "definition.steps.a"],
    [
      "a goto naming no step",
      { start: "a", steps: { a: task({ approve: "b", reject: "b" }, { dueIn: "PT1H", onOverdue: { goto: "nowhere" } }), b: end } },
      "definition.steps.a.onOverdue.goto",
    ],
  ])("%s", (_, definition, path) => {
    const result = checkDefinition(definition);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.details.map((d) => d.path)).toContain(path);
  });

  it("says what is wrong with a set path, at that path", () => {
    const result = checkDefinition({ start: "x", steps: { x: { type: "action", set: { "data.__proto__.x": 1, "input.y": 2 }, next: "b" }, b: end } });
    expect(result.ok ? [] : result.details).toEqual([
      { path: "definition.steps.x.set.data.__proto__.x", message: "no part of a path may be __proto__, constructor or prototype" },
      { path: "definition.steps.x.set.input.y", message: "a path inside data, e.g. data.approvedAt" },
    ]);
  });

  it("reports every problem at once", () => {
    const result = checkDefinition({ start: "a", steps: { a: task({ approve: "x", reject: "y" }), island: end } });
    expect(result.ok ? [] : result.details.map((d) => d.path).sort()).toEqual([
      "definition.steps.a.next.approve",
      "definition.steps.a.next.reject",
      "definition.steps.island",
    ]);
  });
});

describe("longestPath", () => {
  it.each([
    ["prescription: review, choice, approval, record, done", prescription, 5],
    ["parallel counts its longest branch", parallelAsk("all"), 1 + 2 + 2],
  ])("%s", (_, definition, steps) => {
    expect(longestPath(define(definition))).toBe(steps);
  });
});
