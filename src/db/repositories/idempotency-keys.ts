// Table idempotency_keys: the first answer to an (org, Idempotency-Key) is replayed for 24 h.
import { and, eq, gte, lt, sql } from "drizzle-orm";
import type { Db, Statement } from "../client";
import { events, idempotencyKeys } from "../schema";

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The live record for (org, key) with the event it produced, if any. */
export async function findIdempotencyRecord(db: Db, org: string, key: string, now: Date) {
  const [row] = await db
    .select({ requestHash: idempotencyKeys.requestHash, id: events.id, type: events.type, createdAt: events.createdAt })
    .from(idempotencyKeys)
    .innerJoin(events, and(eq(events.id, idempotencyKeys.eventId), eq(events.org, idempotencyKeys.org)))
    .where(
      and(
        eq(idempotencyKeys.org, org),
        eq(idempotencyKeys.key, key),
        gte(idempotencyKeys.createdAt, new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS)),
      ),
    );
  return row;
}

/**
 * Statements claiming (org, key) for a new event: an expired record is cleared first, then a
 * plain INSERT, whose primary-key violation rolls back the whole batch if a concurrent
 * request claimed the key first.
 */
export function claimIdempotencyKey(db: Db, record: { org: string; key: string; requestHash: string; eventId: string; now: Date }): Statement[] {
  const expired = new Date(record.now.getTime() - IDEMPOTENCY_WINDOW_MS);
  return [
    db
      .delete(idempotencyKeys)
      .where(and(eq(idempotencyKeys.org, record.org), eq(idempotencyKeys.key, record.key), lt(idempotencyKeys.createdAt, expired))),
    db.insert(idempotencyKeys).values({
      org: record.org,
      key: record.key,
      requestHash: record.requestHash,
      eventId: record.eventId,
      createdAt: record.now,
    }),
  ];
}

/** For the cron sweep, across orgs: deletes up to `limit` keys created before `cutoff`; returns how many. */
export async function purgeIdempotencyKeysBefore(db: Db, cutoff: Date, limit: number): Promise<number> {
  const rows = await db
    .delete(idempotencyKeys)
    .where(sql`rowid IN (SELECT rowid FROM ${idempotencyKeys} WHERE ${idempotencyKeys.createdAt} < ${cutoff.getTime()} LIMIT ${limit})`)
    .returning({ key: idempotencyKeys.key });
  return rows.length;
}
