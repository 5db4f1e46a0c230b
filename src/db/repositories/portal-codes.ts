// Table portal_codes: one-time dashboard sign-in codes. Never throws HTTP errors: redeem
// answers the row or undefined.
import { and, eq, gt, isNull, lt } from "drizzle-orm";
import type { Db } from "../client";
import { type NewPortalCodeRow, portalCodes } from "../schema";

/** Stores a code; codes that expired a day ago or more are cleared in the same batch. */
export async function insertPortalCode(db: Db, row: NewPortalCodeRow) {
  const staleBefore = new Date(row.createdAt.getTime() - 86_400_000);
  await db.batch([db.delete(portalCodes).where(lt(portalCodes.expiresAt, staleBefore)), db.insert(portalCodes).values(row)]);
}

/**
 * Marks the code used and returns it, in one UPDATE guarded by `used_at IS NULL` and the
 * expiry, so of any number of concurrent redeems exactly one gets the row.
 */
export async function redeemPortalCode(db: Db, codeHash: string, now: Date) {
  const [row] = await db
    .update(portalCodes)
    .set({ usedAt: now })
    .where(and(eq(portalCodes.codeHash, codeHash), isNull(portalCodes.usedAt), gt(portalCodes.expiresAt, now)))
    .returning();
  return row;
}
