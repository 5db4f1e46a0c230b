// The subscribers of an org's event types, kept in the isolate between publishes and workflow
// changes, so a publish or an advance usually needs no read before its write (npm run bench,
// P4 and P6). Safe because the write checks them: every change that can change where an org's
// events go gives the org a new subscription version (triggers, migrations/0008), and a write
// that routed with a snapshot carries a guard that fails its whole batch when the version is no
// longer the one read with it. withSubscribers then reads them afresh and writes once more. So
// a webhook created a moment ago gets its deliveries, and one deleted or disabled gets none,
// exactly as when every publish read them.
import { eq, sql } from "drizzle-orm";
import { d1ErrorSays, type Db, type Statement } from "../db/client";
import { type Subscriber, subscriberRows, subscribersByType } from "../db/repositories/webhook-event-types";
import { subscriptionGuard, subscriptionVersions } from "../db/schema";

export interface SubscriberSnapshot {
  org: string;
  /** The org's subscription version, read in the same transaction as the subscribers (null: none yet). */
  version: string | null;
  byType: Map<string, Subscriber[]>;
  /** False when a write made with it adds no guard: withSubscribers' last try, or a batch that has one already. */
  guarded: boolean;
}

// Bounded in entries (one org's subscribers of a few types each) and in the subscribers they
// hold together (a filter may be 4 KiB): the oldest entries go first.
export const MAX_ENTRIES = 1000;
export const MAX_SUBSCRIBERS = 5000;
const cache = new Map<string, { snapshot: SubscriberSnapshot; size: number }>();
let cachedSubscribers = 0;
// Reads under way, so concurrent misses of one key (a cold isolate's burst of publishes) share one.
const reading = new Map<string, Promise<SubscriberSnapshot>>();
const keyOf = (org: string, types: readonly string[]) => `${org}\n${[...types].sort().join(" ")}`;

/** The org's subscription version, as a query. */
const versionOf = (db: Db, org: string) =>
  db.select({ version: subscriptionVersions.version }).from(subscriptionVersions).where(eq(subscriptionVersions.org, org));

function remember(key: string, snapshot: SubscriberSnapshot) {
  forget(key);
  const size = [...snapshot.byType.values()].reduce((n, list) => n + list.length, 0);
  if (size > MAX_SUBSCRIBERS) return;
  cache.set(key, { snapshot, size });
  cachedSubscribers += size;
  for (const oldest of cache.keys()) {
    if (cache.size <= MAX_ENTRIES && cachedSubscribers <= MAX_SUBSCRIBERS) break;
    forget(oldest);
  }
}

function forget(key: string) {
  const entry = cache.get(key);
  if (!entry) return;
  cache.delete(key);
  cachedSubscribers -= entry.size;
}

/**
 * The active subscribers of each of `types` in `org`, with the version they were read at: from
 * the isolate's cache, or (when absent, or `fresh`) one D1 round trip that refreshes it.
 */
export function subscribersOf(db: Db, org: string, types: readonly string[], { fresh = false } = {}): Promise<SubscriberSnapshot> {
  const key = keyOf(org, types);
  const cached = fresh ? undefined : cache.get(key);
  if (cached) return Promise.resolve(cached.snapshot);
  const underWay = fresh ? undefined : reading.get(key);
  if (underWay) return underWay;
  const read = (async () => {
    const [versions, rows] = await db.batch([versionOf(db, org), subscriberRows(db, org, types)]);
    const snapshot = { org, version: versions[0]?.version ?? null, byType: subscribersByType(types, rows), guarded: true };
    remember(key, snapshot);
    return snapshot;
  })();
  if (!fresh) {
    reading.set(key, read);
    read.then(
      () => reading.delete(key),
      () => reading.delete(key),
    );
  }
  return read;
}

/**
 * The statement that fails its batch ("NOT NULL constraint failed: subscription_guard.stale")
 * unless the org's subscription version is still `snapshot`'s. It writes nothing otherwise.
 */
export function subscriptionGuardStatement(db: Db, snapshot: SubscriberSnapshot): Statement {
  return db.insert(subscriptionGuard).select(sql`SELECT NULL WHERE (${versionOf(db, snapshot.org)}) IS NOT ${snapshot.version}`);
}

/** True when a batch failed because its subscriber snapshot was stale (nothing of it committed). */
export const isStaleSubscribers = (error: unknown): boolean => d1ErrorSays(error, /subscription_guard\.stale/);

/**
 * Runs `write` with the subscribers of `types`, cached when possible; when its batch finds them
 * stale, reads them afresh and runs it again. Each retry follows a change to the org's webhooks
 * in the meantime, which is rare; after two, the third try writes with subscribers read just
 * before it and no guard (as every write did before subscribers were kept), so a burst of
 * webhook changes, or a read replica behind the primary, never fails the write itself. With no
 * `types` (a change that publishes nothing), `write` runs once without a snapshot. `first`: a
 * lookup the caller started earlier.
 */
export async function withSubscribers<T>(
  db: Db,
  org: string,
  types: readonly string[],
  write: (snapshot?: SubscriberSnapshot) => Promise<T>,
  first?: Promise<SubscriberSnapshot>,
): Promise<T> {
  if (types.length === 0) return write();
  let snapshot = await (first ?? subscribersOf(db, org, types));
  for (let attempt = 1; ; attempt++) {
    try {
      return await write(snapshot);
    } catch (error) {
      if (attempt >= 3 || !isStaleSubscribers(error)) throw error;
      const fresh = await subscribersOf(db, org, types, { fresh: true });
      snapshot = attempt === 2 ? { ...fresh, guarded: false } : fresh;
    }
  }
}
