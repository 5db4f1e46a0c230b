// D1 bindings that measure what a piece of code costs: round trips, and rows read.
import { env } from "cloudflare:test";

/**
 * A D1 binding that counts round trips: each batch, and each statement run on its own
 * (all/run/raw/first, bound or not). Statements inside a batch travel with it.
 */
export function countingD1(binding: D1Database) {
  let trips = 0;
  const counting = <T extends object>(statement: T): T =>
    new Proxy(statement, {
      get(target, prop) {
        const value = Reflect.get(target, prop) as unknown;
        if (typeof value !== "function") return value;
        if (prop === "bind") return (...args: unknown[]) => counting(value.apply(target, args));
        if (["all", "run", "raw", "first"].includes(String(prop))) {
          return (...args: unknown[]) => {
            trips++;
            return value.apply(target, args);
          };
        }
        return value.bind(target);
      },
    });
  const d1 = new Proxy(binding, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== "function") return value;
      if (prop === "prepare") return (sql: string) => counting(value.call(target, sql));
      if (prop === "batch") {
        return (...args: unknown[]) => {
          trips++;
          return value.apply(target, args);
        };
      }
      return value.bind(target);
    },
  });
  return { d1, roundTrips: () => trips };
}

/**
 * A D1 binding that records every statement run on its own (SQL and parameters); `rowsRead()`
 * runs them again on the real binding and sums D1's own `meta.rows_read`.
 */
export function recordingD1(binding: D1Database = env.DB) {
  const runs: { sql: string; params: unknown[] }[] = [];
  const d1 = new Proxy(binding, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== "function") return value;
      if (prop !== "prepare") return value.bind(target);
      return (sql: string) => {
        const statement = value.call(target, sql) as D1PreparedStatement;
        return new Proxy(statement, {
          get(st, p) {
            const v = Reflect.get(st, p) as unknown;
            if (typeof v !== "function") return v;
            if (p === "bind") {
              return (...params: unknown[]) => {
                const bound = (v as (...a: unknown[]) => D1PreparedStatement).apply(st, params);
                return new Proxy(bound, {
                  get(b, q) {
                    const w = Reflect.get(b, q) as unknown;
                    if (typeof w !== "function") return w;
                    if (["all", "run", "raw", "first"].includes(String(q))) runs.push({ sql, params });
                    return w.bind(b);
                  },
                });
              };
            }
            return v.bind(st);
          },
        });
      };
    },
  });
  const rowsRead = async () => {
    let total = 0;
    for (const r of runs)
      total += (
        await binding
          .prepare(r.sql)
          .bind(...r.params)
          .run()
      ).meta.rows_read;
    return total;
  };
  return { d1, runs, rowsRead };
}
