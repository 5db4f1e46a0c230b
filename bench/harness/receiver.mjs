// The local webhook receiver both sides deliver to: answers 200 at once and records, per
// (path, webhook-id), how many times it arrived and when it first did.
import { createServer } from "node:http";

export async function startReceiver(port) {
  const arrivals = new Map(); // `${path} ${webhook-id}` → { count, at }
  const distinct = new Map(); // first path segment (one per run) → distinct keys arrived
  let expected = null;
  const server = createServer((req, res) => {
    const key = `${req.url} ${req.headers["webhook-id"]}`;
    const seen = arrivals.get(key);
    if (seen) seen.count++;
    else {
      arrivals.set(key, { count: 1, at: performance.now() });
      const run = req.url.split("/")[1];
      distinct.set(run, (distinct.get(run) ?? 0) + 1);
    }
    req.resume();
    res.end("ok");
    if (expected && (distinct.get(expected.run) ?? 0) >= expected.size) expected.resolve();
  });
  await new Promise((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${port}`,
    arrivals,
    /** Starts counting /`run`/ from zero again (a run reused by the next round). */
    resetRun: (run) => distinct.set(run, 0),
    /** Resolves once `size` distinct keys under /`run`/ have arrived, or after `timeoutMs`. */
    waitFor(run, size, timeoutMs) {
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        expected = {
          run,
          size,
          resolve: () => {
            clearTimeout(timer);
            expected = null;
            resolve();
          },
        };
        if ((distinct.get(run) ?? 0) >= size) expected.resolve();
      });
    },
    close: () => new Promise((r) => server.close(r)),
  };
}
