// Bench build only: counts D1 round trips. Every call that goes to the database once —
// a statement's first/all/run/raw, a batch, an exec — adds one to the counter it was made
// under. A batch is one round trip however many statements it carries, as on the platform.
export interface Counter {
  roundTrips: number;
}

class CountingStatement {
  constructor(
    readonly real: D1PreparedStatement,
    private readonly counter: Counter,
  ) {}
  bind(...values: unknown[]) {
    return new CountingStatement(this.real.bind(...values), this.counter);
  }
  first(column?: string) {
    this.counter.roundTrips++;
    return column === undefined ? this.real.first() : this.real.first(column);
  }
  all() {
    this.counter.roundTrips++;
    return this.real.all();
  }
  run() {
    this.counter.roundTrips++;
    return this.real.run();
  }
  raw(options?: { columnNames?: boolean }) {
    this.counter.roundTrips++;
    return this.real.raw(options as { columnNames: true });
  }
}

const unwrap = (statements: unknown[]) => statements.map((s) => (s instanceof CountingStatement ? s.real : (s as D1PreparedStatement)));

interface Queryable {
  prepare(sql: string): D1PreparedStatement;
  batch(statements: D1PreparedStatement[]): Promise<D1Result[]>;
}

function countingQueryable<T extends Queryable>(real: T, counter: Counter) {
  return {
    prepare: (sql: string) => new CountingStatement(real.prepare(sql), counter),
    batch: (statements: unknown[]) => {
      counter.roundTrips++;
      return real.batch(unwrap(statements));
    },
  };
}

/** A D1Database that counts into `counter`; sessions made from it count too. */
export function countingD1(real: D1Database, counter: Counter): D1Database {
  return {
    ...countingQueryable(real, counter),
    exec: (sql: string) => {
      counter.roundTrips++;
      return real.exec(sql);
    },
    dump: () => real.dump(),
    withSession: (constraint?: string) => {
      const session = real.withSession(constraint as D1SessionConstraint);
      return { ...countingQueryable(session, counter), getBookmark: () => session.getBookmark() };
    },
  } as unknown as D1Database;
}

/** The same env with DB counted. */
export const countingEnv = (env: Env, counter: Counter): Env => ({ ...env, DB: countingD1(env.DB, counter) });
