import { describe, expect, it } from "vitest";
import { admit, emptyPace, type PaceState, STALE_SLOT_MS } from "../../src/webhooks/rate-window";

/** Runs every delivery through admission as the consumer would: retries come back at their slot. */
function simulate(rate: number, ids: string[], arrival = 0) {
  let state: PaceState = emptyPace();
  const starts: Record<string, number> = {};
  const queue = ids.map((id) => ({ id, at: arrival }));
  while (queue.length) {
    queue.sort((a, b) => a.at - b.at);
    const next = queue.shift()!;
    const result = admit(state, rate, next.id, next.at);
    state = result.state;
    if (result.answer.admit) starts[next.id] = next.at;
    else queue.push({ id: next.id, at: Math.ceil(result.answer.at / 1000) * 1000 + (next.at % 1000) });
  }
  return starts;
}

const maxInAnyWindow = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return Math.max(...sorted.map((t, i) => sorted.filter((u, j) => j >= i && u < t + 1000).length));
};

describe("rate window (token bucket, burst = rate, tokens back after 1 s)", () => {
  it("2/s over 20 deliveries arriving together: reserved slots span 9 s", () => {
    let state: PaceState = emptyPace();
    const answers = Array.from({ length: 20 }, (_, i) => {
      const r = admit(state, 2, `d${i}`, 0);
      state = r.state;
      return r.answer.admit ? 0 : r.answer.at;
    });
    expect(answers.slice(0, 2)).toEqual([0, 0]);
    expect(Math.max(...answers) - Math.min(...answers)).toBeGreaterThanOrEqual(9000);
    expect(maxInAnyWindow(answers)).toBeLessThanOrEqual(2);
  });

  it("never starts more than rate in any sliding second, and starts everyone", () => {
    for (const rate of [1, 2, 3, 7]) {
      const ids = Array.from({ length: 25 }, (_, i) => `d${i}`);
      const starts = simulate(rate, ids, 250);
      expect(Object.keys(starts)).toHaveLength(25);
      expect(maxInAnyWindow(Object.values(starts))).toBeLessThanOrEqual(rate);
    }
  });

  it("a delivery coming back early is told its slot again", () => {
    let state = emptyPace();
    state = admit(state, 1, "a", 0).state;
    const b = admit(state, 1, "b", 0);
    expect(b.answer).toEqual({ admit: false, at: 1000 });
    const early = admit(b.state, 1, "b", 400);
    expect(early.answer).toEqual({ admit: false, at: 1000 });
    expect(admit(early.state, 1, "b", 1000).answer).toEqual({ admit: true });
  });

  it("a newcomer does not take the start of a slot holder who is due", () => {
    let state = emptyPace();
    state = admit(state, 1, "a", 0).state;
    state = admit(state, 1, "b", 0).state; // slot at 1000
    const c = admit(state, 1, "c", 1000);
    expect(c.answer.admit).toBe(false);
    expect(admit(c.state, 1, "b", 1001).answer).toEqual({ admit: true });
  });

  it("a slot whose message never came back is dropped", () => {
    let state = emptyPace();
    state = admit(state, 1, "a", 0).state;
    state = admit(state, 1, "lost", 0).state;
    expect(admit(state, 1, "c", 1000 + STALE_SLOT_MS + 1).answer).toEqual({ admit: true });
  });
});
