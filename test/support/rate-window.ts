// Rate-limit tests against the local Rate Limiting binding.
const WINDOW_MS = 60_000;

/**
 * The local Rate Limiting binding counts in windows aligned to the wall clock (miniflare's
 * RateLimiterObject: epoch = floor(now / period)). A run of 100+ sequential calls that
 * straddles a window boundary sees the count reset half-way, and the 429 it expects never
 * comes. So a scenario starts with at least a few seconds of its window left, and runs again
 * (once, with a fresh org or key) if it still crossed a boundary; a second crossing is impossible as
 * a run takes far less than one window.
 */
export async function inOneWindow<T>(scenario: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const left = WINDOW_MS - (Date.now() % WINDOW_MS);
    if (left < 3_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
    const startWindow = Math.floor(Date.now() / WINDOW_MS);
    const result = await scenario();
    if (Math.floor(Date.now() / WINDOW_MS) === startWindow || attempt > 0) return result;
  }
}
