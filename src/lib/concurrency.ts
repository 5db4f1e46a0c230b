// Bounded parallelism: a queue batch's messages run side by side so one slow receiver does not
// hold up the rest, but never more than `limit` at once (subrequest and CPU budgets are per invocation).
export async function forEachBounded<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
}

/**
 * A counting semaphore: the returned function runs `task` once fewer than `limit` tasks are
 * running. A finishing task hands its slot straight to the longest waiter.
 */
export function slots(limit: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running < limit) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
