// Every step type through the pure runner: where the instance stops and which effects it asks for.
import { describe, expect, it } from "vitest";
import { admin, Instance, staff, T0 } from "./harness";
import { labReview, prescription } from "./fixtures";

const later = (ms: number) => new Date(T0.getTime() + ms);
const HOUR = 3600_000;

describe("task", () => {
  it("opens on start, publishing workflow.created then task_created", () => {
    const wf = new Instance(prescription, { schedule: "IV" });
    expect(wf.activeSteps()).toEqual(["vet_review"]);
    expect(wf.published()).toEqual(["workflow.created", "workflow.task_created"]);
    expect(wf.openTask()).toMatchObject({ id: "tsk_test_1", status: "open", approvalsRequired: 1, dueAt: null, outcomes: ["approve", "reject"] });
  });

  it("an answer runs choice and action up to the end", () => {
    const wf = new Instance(prescription, { schedule: "IV", patientId: "pat-9" }, "rx-1");
    expect(wf.answer("approve").ok).toBe(true);
    expect(wf.state.status).toBe("completed");
    expect(wf.state.data).toEqual({ approvedAt: T0.toISOString() });
    const emitted = wf.of("publish").find((e) => e.type === "prescription.created");
    expect(emitted?.data).toEqual({ prescriptionId: "rx-1", patientId: "pat-9" });
    expect(wf.published()).toEqual(["workflow.task_completed", "prescription.created", "workflow.completed"]);
    expect(wf.of("history").map((h) => [h.action, h.step])).toEqual([
      ["task_answered", "vet_review"],
      ["step_entered", "schedule"],
      ["step_entered", "record"],
      ["action_taken", "record"],
      ["step_entered", "done"],
      ["completed", null],
    ]);
    expect(wf.state.ended).toBe(4);
  });

  it("a rejection ends the instance failed with the fail step's reason", () => {
    const wf = new Instance(prescription, { schedule: "II" });
    wf.answer("reject");
    expect(wf.state.status).toBe("failed");
    expect(wf.of("history").at(-1)).toMatchObject({ action: "failed", comment: "prescription rejected" });
  });

  it.each([
    ["an outcome not listed", "maybe", staff(), "validation_error"],
    ["a caller who is not the assignee", "approve", { sub: "v", role: "viewer" as const }, "forbidden"],
  ])("refuses %s, changing nothing", (_, outcome, actor, code) => {
    const wf = new Instance(prescription);
    const before = structuredClone(wf.state);
    const result = wf.answer(outcome, actor);
    expect(result).toMatchObject({ ok: false, refusal: { code } });
    expect(wf.state).toEqual(before);
  });

  it("an admin may complete a role task; a user task only its user", () => {
    expect(new Instance(prescription).answer("approve", admin("boss")).ok).toBe(true);
    const userTask = {
      start: "a",
      steps: { a: { type: "task", title: "t", assignee: { user: "dr-who" }, next: { approve: "b", reject: "b" } }, b: { type: "succeed" } },
    };
    expect(new Instance(userTask).answer("approve", admin("boss"))).toMatchObject({ ok: false, refusal: { code: "forbidden" } });
    expect(new Instance(userTask).answer("approve", { sub: "dr-who", role: "viewer" }).ok).toBe(true);
  });
});

describe("N-of-M approval", () => {
  const atApproval = () => {
    const wf = new Instance(prescription, { schedule: "II", patientId: "p" });
    wf.answer("approve");
    expect(wf.activeSteps()).toEqual(["admin_approval"]);
    return wf;
  };

  it("stays open until the second distinct admin approves", () => {
    const wf = atApproval();
    expect(wf.answer("approve", admin("a1")).ok).toBe(true);
    expect(wf.openTask()).toMatchObject({ status: "open", answers: [{ actor: "a1", outcome: "approve" }] });
    expect(wf.published()).toEqual([]);
    wf.answer("approve", admin("a2"));
    expect(wf.state.status).toBe("completed");
  });

  it("a duplicate answerer is a conflict and records nothing", () => {
    const wf = atApproval();
    wf.answer("approve", admin("a1"));
    const taskId = wf.openTask().id;
    expect(wf.answer("approve", admin("a1"), taskId)).toMatchObject({ ok: false, refusal: { code: "conflict" } });
    expect(wf.openTask().answers).toHaveLength(1);
  });

  it("a foreign answerer (staff on an admin task) is forbidden", () => {
    const wf = atApproval();
    expect(wf.answer("approve", staff("nurse"))).toMatchObject({ ok: false, refusal: { code: "forbidden" } });
  });

  it("one reject decides at once", () => {
    const wf = atApproval();
    wf.answer("approve", admin("a1"));
    wf.answer("reject", admin("a2"));
    expect(wf.state.status).toBe("failed");
    expect(wf.of("task").at(-1)?.task).toMatchObject({ status: "completed", outcome: "reject", answers: [{ actor: "a1" }, { actor: "a2" }] });
  });

  it("an answer to a closed task is a conflict", () => {
    const wf = atApproval();
    const id = wf.openTask().id;
    wf.answer("reject", admin("a1"));
    expect(wf.send({ type: "answer", taskId: id, outcome: "approve" }, admin("a2"))).toMatchObject({ ok: false, refusal: { code: "conflict" } });
  });
});

describe("task due timers and onOverdue", () => {
  const withOverdue = (onOverdue?: unknown) => ({
    start: "t",
    steps: {
      t: {
        type: "task",
        title: "t",
        assignee: { role: "staff" },
        dueIn: "PT4H",
        ...(onOverdue ? { onOverdue } : {}),
        next: { approve: "ok", reject: "escalate" },
      },
      escalate: { type: "task", title: "escalated", assignee: { role: "admin" }, next: { approve: "ok", reject: "ok" } },
      ok: { type: "succeed" },
    },
  });
  const timerId = "t#1:due";

  it("sets one timer at dueAt; answering cancels it", () => {
    const wf = new Instance(withOverdue());
    expect(wf.of("setTimer")).toEqual([{ kind: "setTimer", id: timerId, at: later(4 * HOUR).toISOString() }]);
    expect(wf.openTask().dueAt).toBe(later(4 * HOUR).toISOString());
    wf.answer("approve");
    expect(wf.of("cancelTimer")).toEqual([{ kind: "cancelTimer", id: timerId }]);
    expect(wf.state.timers).toEqual({});
  });

  it("without onOverdue: marks overdue, publishes task_overdue, stays open", () => {
    const wf = new Instance(withOverdue());
    wf.send({ type: "timer", timerId }, staff(), later(4 * HOUR));
    expect(wf.openTask()).toMatchObject({ overdue: true, status: "open" });
    expect(wf.published()).toEqual(["workflow.task_overdue"]);
  });

  it("reassign: the task moves to the new assignee", () => {
    const wf = new Instance(withOverdue({ reassign: { user: "owner" } }));
    wf.send({ type: "timer", timerId });
    expect(wf.openTask().assignee).toEqual({ user: "owner" });
    expect(wf.answer("approve", staff("dr-jones"))).toMatchObject({ ok: false, refusal: { code: "forbidden" } });
    expect(wf.answer("approve", staff("owner")).ok).toBe(true);
  });

  it("goto: the task is cancelled and the instance goes on at the named step", () => {
    const wf = new Instance(withOverdue({ goto: "escalate" }));
    wf.send({ type: "timer", timerId });
    expect(wf.of("task")[0]?.task).toMatchObject({ step: "t", status: "cancelled", overdue: true });
    expect(wf.activeSteps()).toEqual(["escalate"]);
  });

  it("fail: the instance fails", () => {
    const wf = new Instance(withOverdue("fail"));
    wf.send({ type: "timer", timerId });
    expect(wf.state.status).toBe("failed");
    expect(wf.published()).toEqual(["workflow.task_overdue", "workflow.failed"]);
  });

  it("a timer fired twice, or after the task closed, does nothing", () => {
    const wf = new Instance(withOverdue({ goto: "escalate" }));
    wf.send({ type: "timer", timerId });
    const after = structuredClone(wf.state);
    wf.send({ type: "timer", timerId });
    expect(wf.state).toEqual(after);
    expect(wf.effects).toEqual([]);
  });
});

describe("wait", () => {
  it("for a duration: a timer, then next", () => {
    const wf = new Instance({ start: "w", steps: { w: { type: "wait", for: "P2D", next: "b" }, b: { type: "succeed" } } });
    expect(wf.of("setTimer")).toEqual([{ kind: "setTimer", id: "w#1:wait", at: later(48 * HOUR).toISOString() }]);
    wf.send({ type: "timer", timerId: "w#1:wait" });
    expect(wf.state.status).toBe("completed");
  });

  const event = (labTestId: string, createdAt = T0.toISOString(), type = "lab_test.completed") => ({
    type: "event" as const,
    event: { id: `evt_${labTestId}`, type, data: { labTestId }, createdAt },
  });

  it("for an event: registers, matches on the $ref'd field, unregisters and goes on", () => {
    const wf = new Instance(labReview, { labTestId: "lt-1" });
    expect(wf.of("waitFor")).toEqual([{ kind: "waitFor", key: "wait_result#1", type: "lab_test.completed" }]);
    expect(wf.state.active[0]?.wait?.match).toEqual({ "data.labTestId": "lt-1" });
    wf.send(event("lt-other"));
    expect(wf.effects).toEqual([]);
    wf.send(event("lt-1", new Date(T0.getTime() - 1).toISOString()));
    expect(wf.effects).toEqual([]); // published before the wait began
    wf.send(event("lt-1", later(HOUR).toISOString()));
    expect(wf.activeSteps()).toEqual(["review"]);
    expect(wf.of("unwait")).toEqual([{ kind: "unwait", key: "wait_result#1" }]);
    expect(wf.of("cancelTimer")).toEqual([{ kind: "cancelTimer", id: "wait_result#1:wait" }]);
  });

  it("the same event delivered again wakes nothing", () => {
    const wf = new Instance(labReview, { labTestId: "lt-1" });
    wf.send(event("lt-1"));
    const after = structuredClone(wf.state);
    wf.send(event("lt-1"));
    expect(wf.state).toEqual(after);
  });

  it("timing out goes to onTimeout (an email keyed by the visit, then fail)", () => {
    const wf = new Instance(labReview, { labTestId: "lt-1" });
    wf.send({ type: "timer", timerId: "wait_result#1:wait" });
    expect(wf.of("email")).toEqual([
      { kind: "email", key: "wf_test:chase_lab#1", to: "lab@clinic.example", subject: "Result missing", text: "lt-1" },
    ]);
    expect(wf.state.status).toBe("failed");
    expect(wf.of("unwait")).toHaveLength(1);
  });
});

describe("action", () => {
  it("an emit whose resolved data misses the schema fails the instance with the path", () => {
    const wf = new Instance({
      start: "x",
      steps: {
        x: { type: "action", emit: { type: "prescription.created", data: { prescriptionId: { $ref: "input.missing" } } }, next: "b" },
        b: { type: "succeed" },
      },
    });
    expect(wf.state.status).toBe("failed");
    expect(wf.of("history").at(-1)?.comment).toContain("emit.data.prescriptionId");
    expect(wf.published()).toEqual(["workflow.created", "workflow.failed"]);
  });

  it("a loop re-entering a step counts visits, so keys differ per visit", () => {
    const wf = new Instance({
      start: "mail",
      steps: {
        mail: { type: "action", email: { to: "a@b.example", subject: "s", text: "t" }, next: "ask" },
        ask: { type: "task", title: "again?", assignee: { role: "staff" }, outcomes: ["again", "stop"], next: { again: "mail", stop: "end" } },
        end: { type: "succeed" },
      },
    });
    expect(wf.of("email")[0]?.key).toBe("wf_test:mail#1");
    wf.answer("again");
    expect(wf.of("email")[0]?.key).toBe("wf_test:mail#2");
    expect(wf.openTask().id).toBe("tsk_test_2");
  });
});

describe("cancel and fail", () => {
  it("cancel closes open tasks and timers; the instance then refuses answers", () => {
    const wf = new Instance(labReview, { labTestId: "x" });
    wf.send({ type: "cancel", reason: "owner withdrew" }, staff("dr-jones"));
    expect(wf.state).toMatchObject({ status: "cancelled", active: [], timers: {} });
    expect(wf.of("history").at(-1)).toMatchObject({ action: "cancelled", actor: "dr-jones", comment: "owner withdrew" });
    expect(wf.send({ type: "fail", reason: "x" })).toMatchObject({ ok: false, refusal: { code: "conflict" } });
  });
});
