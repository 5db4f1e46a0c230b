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
