// ISO-8601 durations for task `dueIn` and wait `for`/`timeout`: weeks, days, hours, minutes and
// seconds (`PT4H`, `P2D`, `P1W`, `P1DT12H`, `PT0.5S`). Years and months are refused: their
// length depends on the calendar, and a clinic's SLA is stated in days or hours anyway.
const PATTERN = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** The longest duration accepted: one year of days, so a typo cannot park a timer for ever. */
export const MAX_DURATION_MS = 366 * 24 * 3600 * 1000;

/** Milliseconds of an ISO-8601 duration, or undefined when it is not one we accept. */
export function parseDuration(text: string): number | undefined {
  const m = PATTERN.exec(text);
  if (!m || text === "P" || text.endsWith("T")) return undefined;
  const [, w, d, h, min, s] = m;
  const ms = ((Number(w ?? 0) * 7 + Number(d ?? 0)) * 24 * 3600 + Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(s ?? 0)) * 1000;
  if (ms <= 0 || ms > MAX_DURATION_MS) return undefined;
  return Math.round(ms);
}

export const addDuration = (from: Date, duration: string): Date => new Date(from.getTime() + (parseDuration(duration) ?? 0));
