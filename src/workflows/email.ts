// Sends the emails a committed step asked for. Each has a row keyed by (instance, step, visit)
// that commits with the step; a row already marked sent is skipped, so a retried run does
// not send twice. A failed send leaves the row unsent for the cron sweep to retry.
import type { Db } from "../db/client";
import { findUnsentEmail, markEmailSent } from "../db/repositories/workflow-emails";
import type { Effect } from "../engine/state";
import { configOf } from "../lib/config";
import { log } from "../lib/log";

export async function sendEmails(db: Db, env: Env, keys: string[], now = new Date()): Promise<number> {
  let sent = 0;
  for (const key of keys) {
    const row = await findUnsentEmail(db, key);
    if (!row) continue;
    try {
      const { messageId } = await env.SEND_EMAIL.send({
        from: configOf(env).emailFrom,
        to: row.to,
        subject: row.subject,
        text: row.text,
        headers: { "X-Workflow-Email-Key": row.key },
      });
      await markEmailSent(db, key, messageId, now);
      sent++;
    } catch (error) {
      log("error", "workflow email not sent; the sweep retries it", { key, error: String(error) });
    }
  }
  return sent;
}

export const emailKeys = (effects: Effect[]) => effects.flatMap((e) => (e.kind === "email" ? [e.key] : []));
