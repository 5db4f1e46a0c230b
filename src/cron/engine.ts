// The engine's share of the every-minute cron: start the instances whose cron trigger fires in
// this minute slot (one per template per slot, whatever runs the slot twice), and retry what
// a lost message or a failed send left behind (engine dispatches, workflow emails).
import type { Db } from "../db/client";
import { findStaleDispatches } from "../db/repositories/engine-dispatches";
import { findLiveCronTemplates } from "../db/repositories/workflow-templates";
import { findUnsentEmailKeys } from "../db/repositories/workflow-emails";
import { enqueueByOrg } from "../delivery/queue";
import { type CronTrigger, firesAt, isCron, type Trigger } from "../engine/triggers";
import { log } from "../lib/log";
import { derivedWorkflowId } from "../templates/dispatch";
import { startInstanceObject } from "../templates/start";
import { sendEmails } from "../workflows/email";

/** A dispatch or email left this long has lost its message or its send. */
export const ENGINE_RETRY_AFTER_MS = 2 * 60 * 1000;
const RETRY_BATCH = 100;

/** The UTC minute `time` falls in. */
export const minuteSlot = (time: Date) => new Date(Math.floor(time.getTime() / 60_000) * 60_000);

export async function runCronTriggers(db: Db, env: Env, time: Date): Promise<number> {
  const slot = minuteSlot(time);
  let started = 0;
  for (const template of await findLiveCronTemplates(db)) {
    const { org, key } = template;
    const trigger = (template.triggers as Trigger[]).find((t): t is CronTrigger => isCron(t) && firesAt(t, slot));
    if (!trigger) continue;
    const result = await startInstanceObject(env, {
      org,
      workflowId: await derivedWorkflowId(org, key, "cron", slot.toISOString()),
      actor: "trigger:cron",
      documentId: trigger.documentId,
      template: key,
      templateVersion: template.version,
      input: { scheduledAt: slot.toISOString() },
    });
    if (result.ok) started++;
    else log("error", "cron trigger did not start", { org, key, code: result.code });
  }
  return started;
}

export async function retryEngineOutbox(db: Db, env: Env, now: Date): Promise<{ dispatches: number; emails: number }> {
  const before = new Date(now.getTime() - ENGINE_RETRY_AFTER_MS);
  const stale = await findStaleDispatches(db, before, RETRY_BATCH);
  await enqueueByOrg(
    env.DELIVERY_QUEUE,
    stale.map((d) => ({ org: d.org, id: d.eventId })),
  );
  const emails = await sendEmails(db, env, await findUnsentEmailKeys(db, before, RETRY_BATCH), now);
  return { dispatches: stale.length, emails };
}
