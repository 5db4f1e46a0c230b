// Template queries. A key row names the latest version and whether the key is archived; the
// version rows never change. Writes are statement lists for one db.batch.
import { and, desc, eq, isNotNull, lt, type SQL, sql } from "drizzle-orm";

import { isCron, type Trigger } from "../../engine/triggers";
import type { SQLiteSelect } from "drizzle-orm/sqlite-core";
import { listPage, type PageQuery } from "../../lib/pagination";
import type { Db, Statement } from "../client";
import { templateTriggers, workflowTemplateKeys, workflowTemplates } from "../schema";

export type TemplateRow = typeof workflowTemplates.$inferSelect;
export type TemplateKeyRow = typeof workflowTemplateKeys.$inferSelect;

export async function findTemplateKey(db: Db, org: string, key: string): Promise<TemplateKeyRow | undefined> {
  const [row] = await db
    .select()
    .from(workflowTemplateKeys)
    .where(and(eq(workflowTemplateKeys.org, org), eq(workflowTemplateKeys.key, key)));
  return row;
}

export async function findTemplateVersion(db: Db, org: string, key: string, version: number): Promise<TemplateRow | undefined> {
  const [row] = await db
    .select()
    .from(workflowTemplates)
    .where(and(eq(workflowTemplates.org, org), eq(workflowTemplates.key, key), eq(workflowTemplates.version, version)));
  return row;
}

// A key's row joined to the template row of its latest version.
const latestVersionOfKey = and(
  eq(workflowTemplates.org, workflowTemplateKeys.org),
  eq(workflowTemplates.key, workflowTemplateKeys.key),
  eq(workflowTemplates.version, workflowTemplateKeys.latestVersion),
);
const isLive = sql`${workflowTemplateKeys.archived} = 0`;

/** The latest version of each key, most recently saved first; keyset-paged on (updatedAt, key). */
export function listLatestTemplates(db: Db, org: string, page: PageQuery) {
  const query = db
    .select({
      id: workflowTemplateKeys.key,
      createdAt: workflowTemplateKeys.updatedAt,
      archived: workflowTemplateKeys.archived,
      template: workflowTemplates,
    })
    .from(workflowTemplateKeys)
    .innerJoin(workflowTemplates, latestVersionOfKey)
    .$dynamic();
  type Row = { id: string; createdAt: Date; archived: boolean; template: TemplateRow };
  // listPage is typed for whole-table selects; this join selects the same keyset columns by name.
  return listPage(
    query as unknown as SQLiteSelect & PromiseLike<Row[]>,
    { createdAt: workflowTemplateKeys.updatedAt, id: workflowTemplateKeys.key },
    [eq(workflowTemplateKeys.org, org)],
    page,
  );
}

/** Versions of one key, newest first, below `beforeVersion` when paging. */
export async function listTemplateVersions(db: Db, org: string, key: string, options: { limit: number; beforeVersion?: number }) {
  return db
    .select()
    .from(workflowTemplates)
    .where(
      and(
        eq(workflowTemplates.org, org),
        eq(workflowTemplates.key, key),
        options.beforeVersion ? lt(workflowTemplates.version, options.beforeVersion) : undefined,
      ),
    )
    .orderBy(desc(workflowTemplates.version))
    .limit(options.limit + 1);
}

/**
 * A new version and the key row pointing at it, plus the key's trigger rows replaced by this
 * version's. The version's primary key makes a concurrent save of the same number fail the batch.
 */
export function insertTemplateVersion(db: Db, row: TemplateRow, triggers: Trigger[]): Statement[] {
  const statements: Statement[] = [
    db.insert(workflowTemplates).values(row),
    db
      .insert(workflowTemplateKeys)
      .values({ org: row.org, key: row.key, latestVersion: row.version, archived: false, updatedAt: row.createdAt })
      .onConflictDoUpdate({
        target: [workflowTemplateKeys.org, workflowTemplateKeys.key],
        set: { latestVersion: row.version, updatedAt: row.createdAt },
      }),
    db.delete(templateTriggers).where(and(eq(templateTriggers.org, row.org), eq(templateTriggers.key, row.key))),
  ];
  if (triggers.length) {
    statements.push(
      db.insert(templateTriggers).values(
        triggers.map((t, position) => ({
          org: row.org,
          key: row.key,
          position,
          eventType: isCron(t) ? null : t.event,
          cron: isCron(t) ? t.cron : null,
        })),
      ),
    );
  }
  return statements;
}

/** Archive: no new instances, and its triggers stop firing. */
export function archiveTemplate(db: Db, org: string, key: string): Statement[] {
  return [
    db
      .update(workflowTemplateKeys)
      .set({ archived: true })
      .where(and(eq(workflowTemplateKeys.org, org), eq(workflowTemplateKeys.key, key))),
    db.delete(templateTriggers).where(and(eq(templateTriggers.org, org), eq(templateTriggers.key, key))),
  ];
}

/**
 * The latest live version of every key, in every org, that has a cron trigger: the scheduled
 * handler checks each against the minute.
 */
export const findLiveCronTemplates = (db: Db): Promise<TemplateRow[]> => findLiveTemplatesWithTrigger(db, isNotNull(templateTriggers.cron));

/**
 * The latest live version of every key of the org with a trigger on `type`: the engine's
 * dispatch of an event starts from these.
 */
export const findLiveEventTemplates = (db: Db, org: string, type: string): Promise<TemplateRow[]> =>
  findLiveTemplatesWithTrigger(db, eq(templateTriggers.org, org), eq(templateTriggers.eventType, type));

/**
 * The latest live version of each key with a trigger row matching all of `where`. One query,
 * not a read per key: the matching trigger rows once, then each key's key row and latest
 * version by primary key.
 */
async function findLiveTemplatesWithTrigger(db: Db, ...where: [SQL, ...SQL[]]): Promise<TemplateRow[]> {
  const keys = db
    .selectDistinct({ org: templateTriggers.org, key: templateTriggers.key })
    .from(templateTriggers)
    .where(and(...where))
    .as("trigger_keys");
  const rows = await db
    .select({ template: workflowTemplates })
    .from(keys)
    .innerJoin(workflowTemplateKeys, and(eq(workflowTemplateKeys.org, keys.org), eq(workflowTemplateKeys.key, keys.key)))
    .innerJoin(workflowTemplates, latestVersionOfKey)
    .where(isLive);
  return rows.map((r) => r.template);
}
