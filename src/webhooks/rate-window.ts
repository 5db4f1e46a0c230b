// The pace of one endpoint with a `rateLimit` of r per second: at most r attempts start in any
// sliding 1-second window. It is a token bucket with a burst of r whose every token comes back
// exactly one second after it was taken, which is what makes the window strict.
//
// Pure state transitions; EndpointObject (one Durable Object per webhook) stores the state and
// calls `admit` for each attempt the queue consumer is about to make.
//
// A delivery that must wait is given a reserved start time (its slot) at the end of the line,
// so twenty messages arriving together are spread over the following seconds at once instead
// of all retrying and colliding again. When it comes back at its slot it starts ahead of any
// newcomer. Slots are only a schedule: a start is admitted only while fewer than r real starts
// lie in the last second, so lateness of the queue can never push two windows' worth together.

export interface PaceState {
  /** Real start times (ms) in the last second, oldest first; at most r are kept. */
  starts: number[];
  /** Delivery id → reserved start time (ms). */
  slots: Record<string, number>;
}

export type Admission = { admit: true } | { admit: false; at: number };

export const WINDOW_MS = 1000;
/** A message may come back this much before its slot (queue delays are whole seconds). */
export const EARLY_MS = 50;
/** A slot not claimed this long after its time belongs to a lost message and is dropped. */
export const STALE_SLOT_MS = 60_000;

export const emptyPace = (): PaceState => ({ starts: [], slots: {} });

/** Drops starts older than the window and slots whose message never came back. */
function prune(state: PaceState, now: number): PaceState {
  const slots = Object.fromEntries(Object.entries(state.slots).filter(([, at]) => at > now - STALE_SLOT_MS));
  return { starts: state.starts.filter((t) => t > now - WINDOW_MS), slots };
}

/**
 * The next free slot at the end of the line: the r-th latest of all starts and reservations,
 * one window later (or now, when fewer than r are taken).
 */
function endOfLine(state: PaceState, rate: number, now: number): number {
  const line = [...state.starts, ...Object.values(state.slots)].sort((a, b) => a - b);
  if (line.length < rate) return now;
  return Math.max(now, line[line.length - rate]! + WINDOW_MS);
}

/** Decides one attempt of `deliveryId` at `now`; returns the new state and the answer. */
export function admit(previous: PaceState, rate: number, deliveryId: string, now: number): { state: PaceState; answer: Admission } {
  const state = prune(previous, now);
  const mine = state.slots[deliveryId];
  if (mine !== undefined && mine > now + EARLY_MS) return { state, answer: { admit: false, at: mine } };

  // A newcomer may not take a start while someone holding a slot is due to come back.
  const slotDue = mine === undefined && Object.values(state.slots).some((at) => at <= now + EARLY_MS);
  if (state.starts.length < rate && !slotDue) {
    const { [deliveryId]: _claimed, ...slots } = state.slots;
    return { state: { starts: [...state.starts, now].slice(-rate), slots }, answer: { admit: true } };
  }

  // A holder of a slot that finds the window full (queue lateness) keeps its place: it waits
  // only for the window to free. Everyone else goes to the end of the line.
  const { [deliveryId]: _old, ...others } = state.slots;
  const line =
    mine !== undefined ? state.starts[state.starts.length - rate]! + WINDOW_MS : endOfLine({ starts: state.starts, slots: others }, rate, now);
  const at = Math.max(line, now + 1);
  return { state: { starts: state.starts, slots: { ...others, [deliveryId]: at } }, answer: { admit: false, at } };
}
