// Statements built by drizzle once per isolate and only bound on each use. Building a
// statement (drizzle's query builder walking its SQL tree) costs more CPU than D1 takes to run
// a small write, and the queue consumer records every attempt of every batch with the same few
// shapes: `npm run bench -- --profile` showed drizzle's builder at about a quarter of the
// consumer's CPU. So the delivery hot path's writes are written with drizzle as everywhere
// else, with named placeholders for what changes, and compiled once.
import { fillPlaceholders, type Placeholder, type Query, sql } from "drizzle-orm";
import type { Db } from "./client";

/** Any drizzle statement: its SQL and parameters, placeholders left in. */
interface Buildable {
  toSQL(): Query;
}

/**
 * A statement shape. `build` writes it with `p(name)` wherever a value changes from use to use
 * (in a SET or WHERE, as `sql\`${p("name")}\``: such values are bound as given, so pass what
 * the driver stores, e.g. epoch milliseconds for a timestamp). Each call binds `values` to the
 * SQL built the first time.
 */
export function compiled<K extends string>(build: (db: Db, p: (name: K) => Placeholder<K>) => Buildable) {
  let query: Query | undefined;
  return (db: Db, values: Record<K, unknown>): D1PreparedStatement => {
    query ??= build(db, (name) => sql.placeholder(name)).toSQL();
    return db.$client.prepare(query.sql).bind(...fillPlaceholders(query.params, values));
  };
}

/** Runs compiled statements as one D1 batch (one transaction); the results are D1's own. */
export async function commitCompiled(db: Db, statements: readonly D1PreparedStatement[]): Promise<D1Result[]> {
  if (!statements.length) return [];
  return db.$client.batch([...statements]);
}
