// Parallel branches: join all, any and N; a branch's fail fails the instance.
import { describe, expect, it } from "vitest";
import { Instance } from "./harness";
import { parallelAsk } from "./fixtures";

const answerBranch = (wf: Instance, i: number, outcome = "approve") => wf.answer(outcome, undefined, wf.openTask(`ask/${i}/t`).id);

describe("parallel", () => {
  it("starts every branch; join all waits for both", () => {
    const wf = new Instance(parallelAsk("all"));
    expect(wf.activeSteps()).toEqual(["ask", "ask/0/t", "ask/1/t"]);
    answerBranch(wf, 1);
    expect(wf.activeSteps()).toEqual(["ask", "ask/0/t"]);
    answerBranch(wf, 0);
    expect(wf.activeSteps()).toEqual(["after"]);
  });

  it("join any goes on at the first and cancels the other branch's task", () => {
    const wf = new Instance(parallelAsk("any"));
    answerBranch(wf, 0);
    expect(wf.activeSteps()).toEqual(["after"]);
    expect(wf.of("task").map((e) => [e.task.step, e.task.status])).toEqual([
      ["ask/0/t", "completed"],
      ["ask/1/t", "cancelled"],
      ["after", "open"],
    ]);
  });

  it("join N of 3", () => {
    const wf = new Instance(parallelAsk(2, 3));
    answerBranch(wf, 2);
    expect(wf.activeSteps()).toContain("ask");
    answerBranch(wf, 0);
    expect(wf.activeSteps()).toEqual(["after"]);
  });

  it("a fail inside a branch fails the whole instance and cancels the other branch", () => {
    const wf = new Instance(parallelAsk("all"));
    answerBranch(wf, 0, "reject");
    expect(wf.state.status).toBe("failed");
    expect(wf.state.tasks).toEqual({});
  });

  it("branches that end at once meet the join during start", () => {
    const wf = new Instance({
      start: "p",
      steps: {
        p: {
          type: "parallel",
          join: "any",
          branches: [
            { start: "s", steps: { s: { type: "succeed" } } },
            { start: "s", steps: { s: { type: "succeed" } } },
          ],
          next: "end",
        },
        end: { type: "succeed" },
      },
    });
    expect(wf.state.status).toBe("completed");
    expect(wf.of("history").filter((h) => h.step === "p/1/s")).toEqual([]); // branch 1 never started
  });
});
