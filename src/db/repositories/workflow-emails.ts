// Table workflow_emails: the emails actions asked for, keyed (instance, step, visit), written
// with the step that asked; sending marks them sent, so a retry sends nothing twice.
import { and, eq, isNull, lt } from "drizzle-orm";
import type { Effect } from "../../engine/state";
import type { Db } from "../client";
import { workflowEmails } from "../schema";

/** The email's row; its key is (instance, step, visit), so a replayed step adds nothing. */
export function queueEmail(db: Db, org: string, workflowId: string, effect: Extract<Effect, { kind: "email" }>, now: Date) {
  return db
    .insert(workflowEmails)
    .values({ key: effect.key, org, workflowId, to: effect.to, subject: effect.subject, text: effect.text, createdAt: now })
    .onConflictDoNothing();
}

export async function findUnsentEmail(db: Db, key: string) {
  const [row] = await db.select().from(workflowEmails).where(eq(workflowEmails.key, key));
  return row && !row.sentAt ? row : undefined;
}

/** Emails still unsent that were queued before `before` (their send failed): the sweep retries them. */
export async function findUnsentEmailKeys(db: Db, before: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ key: workflowEmails.key })
    .from(workflowEmails)
    .where(and(isNull(workflowEmails.sentAt), lt(workflowEmails.createdAt, before)))
    .limit(limit);
  return rows.map((r) => r.key);
}

export async function markEmailSent(db: Db, key: string, messageId: string, now: Date) {
  await db.update(workflowEmails).set({ sentAt: now, messageId }).where(eq(workflowEmails.key, key));
}
