// Statements built by drizzle once per isolate and only bound on each use. Building a
// statement (drizzle's query builder walking its SQL tree) costs more CPU than D1 takes to run
// a small write, and the queue consumer records every attempt of every batch with the same few
// shapes: `npm run bench -- --profile` showed drizzle's builder at about a quarter of the
// consumer's CPU. So the delivery hot path's writes are written with drizzle as everywhere
// else, with named placeholders for what changes, and compiled once.
import { type Column, fillPlaceholders, getTableColumns, type Placeholder, type Query, sql, type Table } from "drizzle-orm";
import type { Db } from "./client";

/** Any drizzle statement: its SQL and parameters, placeholders left in. */
interface Buildable {
  toSQL(): Query;
}

/**
 * What a placeholder is bound to: the value as D1 stores it (epoch milliseconds for a
 * timestamp, 0/1 for a boolean, JSON text), since a placeholder inside `sql\`…\`` bypasses the
 * column's encoder. Typed, so a Date or an object passed by mistake does not compile.
 */
type DriverValue = string | number | null;

/**
 * A statement shape. `build` writes it with `p(name)` wherever a value changes from use to use,
 * as `sql\`${p("name")}\`` in a SET or an INSERT's values, or directly in a comparison. Each
 * call binds `values` to the SQL built the first time.
 */
export function compiled<K extends string>(build: (db: Db, p: (name: K) => Placeholder<K>) => Buildable) {
  let query: Query | undefined;
  return (db: Db, values: Record<K, DriverValue>): D1PreparedStatement => {
    query ??= build(db, (name) => sql.placeholder(name)).toSQL();
    return db.$client.prepare(query.sql).bind(...fillPlaceholders(query.params, values));
  };
}

/** Runs compiled statements as one D1 batch (one transaction); the results are D1's own. */
export async function commitCompiled(db: Db, statements: readonly D1PreparedStatement[]): Promise<D1Result[]> {
  if (!statements.length) return [];
  return db.$client.batch([...statements]);
}

/**
 * As `compiled`, for a statement whose SQL depends on a count (the claims of a queue batch, an
 * `IN` list): built once per count, with placeholders `p(name, i)` for item i.
 */
export function compiledPerCount(build: (db: Db, p: (name: string, i?: number) => Placeholder, n: number) => Buildable) {
  const shapes = new Map<number, ReturnType<typeof compiled<string>>>();
  return (db: Db, n: number, values: Record<string, DriverValue>): D1PreparedStatement => {
    let shape = shapes.get(n);
    if (!shape) {
      shape = compiled<string>((first, p) => build(first, (name, i) => p(i === undefined ? name : `${name}${i}`), n));
      shapes.set(n, shape);
    }
    return shape(db, values);
  };
}

/** p(name, 0), …, p(name, n − 1): a compiledPerCount shape's list of one placeholder per item. */
export const placeholderList = (p: (name: string, i: number) => Placeholder, name: string, n: number) =>
  Array.from({ length: n }, (_, i) => p(name, i));

/** `items`' fields as placeholder values `${name}${i}`, for compiledPerCount. */
export function valuesOf(items: readonly Record<string, DriverValue>[]): Record<string, DriverValue> {
  const values: Record<string, DriverValue> = {};
  items.forEach((item, i) => {
    for (const [name, value] of Object.entries(item)) values[`${name}${i}`] = value;
  });
  return values;
}

const columnsOf = new WeakMap<Table, [string, Column][]>();

/**
 * A row of a compiled `select()` of `table` (D1 keys it by column name) as drizzle's own select
 * returns it: keyed by field, each value through its column's decoder (dates, booleans, JSON).
 */
export function rowOf<T extends Table>(table: T, raw: Record<string, unknown>): T["$inferSelect"] {
  let columns = columnsOf.get(table);
  if (!columns) {
    columns = Object.entries(getTableColumns(table));
    columnsOf.set(table, columns);
  }
  const row: Record<string, unknown> = {};
  for (const [field, column] of columns) {
    const value = raw[column.name];
    row[field] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T["$inferSelect"];
}
