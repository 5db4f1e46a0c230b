// Bench build only: counts D1 round trips. Every call that goes to the database once —
// a statement's first/all/run/raw, a batch, an exec — calls `count` once with its SQL ("batch"
// for a batch). A batch is one round trip however many statements it carries, as on the platform.
type Count = (sql: string) => void;

class CountingStatement {
  constructor(
    readonly real: D1PreparedStatement,
    readonly sql: string,
    private readonly count: Count,
  ) {}
  bind(...values: unknown[]) {
    return new CountingStatement(this.real.bind(...values), this.sql, this.count);
  }
  first(column?: string) {
    this.count(this.sql);
    return column === undefined ? this.real.first() : this.real.first(column);
  }
  all() {
    this.count(this.sql);
    return this.real.all();
  }
  run() {
    this.count(this.sql);
    return this.real.run();
  }
  raw(options?: { columnNames?: boolean }) {
    this.count(this.sql);
    return this.real.raw(options as { columnNames: true });
  }
}

const unwrap = (statements: unknown[]) => statements.map((s) => (s instanceof CountingStatement ? s.real : (s as D1PreparedStatement)));

interface Queryable {
  prepare(sql: string): D1PreparedStatement;
  batch(statements: D1PreparedStatement[]): Promise<D1Result[]>;
}

function countingQueryable<T extends Queryable>(real: T, count: Count) {
  return {
    prepare: (sql: string) => new CountingStatement(real.prepare(sql), sql, count),
    batch: (statements: unknown[]) => {
      // "batch" and its statements' SQL, so a place can tell what the round trip was for.
      count(["batch", ...statements.map((s) => (s instanceof CountingStatement ? s.sql : ""))].join("\n"));
      return real.batch(unwrap(statements));
    },
  };
}

/** A D1Database that calls `count` per round trip; sessions made from it count too. */
export function countingD1(real: D1Database, count: Count): D1Database {
  return {
    ...countingQueryable(real, count),
    exec: (sql: string) => {
      count(sql);
      return real.exec(sql);
    },
    dump: () => real.dump(),
    withSession: (constraint?: string) => {
      const session = real.withSession(constraint as D1SessionConstraint);
      return { ...countingQueryable(session, count), getBookmark: () => session.getBookmark() };
    },
  } as unknown as D1Database;
}

/** The same env with DB counted. */
export const countingEnv = (env: Env, count: Count): Env => ({ ...env, DB: countingD1(env.DB, count) });
