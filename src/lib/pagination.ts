// Keyset pagination, newest first. The cursor is an opaque base64url of the last row's
// (createdAt, id), so page N costs the same index range scan as page 1. Cursors are decoded
// by the query schema (a bad one is the router's 400 validation_error); repositories receive
// the decoded key and throw nothing.
import { z } from "@hono/zod-openapi";
import { and, desc, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteSelect } from "drizzle-orm/sqlite-core";
import { base64UrlToText, textToBase64Url } from "./base64";

export interface CursorKey {
  t: number;
  id: string;
}

const NOT_OURS = "not a cursor this API issued";

export const encodeCursor = (key: CursorKey) => textToBase64Url(JSON.stringify(key));

function decodeCursor(cursor: string): CursorKey | undefined {
  try {
    const key = JSON.parse(base64UrlToText(cursor)) as CursorKey;
    if (typeof key.t === "number" && typeof key.id === "string") return key;
  } catch {
    // not ours: undefined below
  }
  return undefined;
}

/** `?cursor=` of the newest-first lists, decoded to the key it names. */
export const cursorSchema = z
  .string()
  .max(200)
  .transform((cursor, ctx) => {
    const key = decodeCursor(cursor);
    if (!key) ctx.addIssue({ code: "custom", message: NOT_OURS });
    return key as CursorKey;
  })
  .openapi({ type: "string", description: "nextCursor of the previous page" });

export const pageLimitSchema = z.coerce.number().int().min(1).max(100);

export const listQuerySchema = z.object({
  limit: pageLimitSchema.default(20),
  cursor: cursorSchema.optional(),
});

export interface PageQuery {
  limit: number;
  cursor?: CursorKey;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

interface KeysetColumns {
  createdAt: SQLiteColumn;
  id: SQLiteColumn;
}

/**
 * `query` (a `db.select().from(table).$dynamic()`) narrowed by `conditions`, newest first,
 * one page after the cursor. Exported for the query-plan tests; lists use listPage.
 */
export function keysetQuery<Q extends SQLiteSelect>(query: Q, columns: KeysetColumns, conditions: (SQL | undefined)[], page: PageQuery): Q {
  // A row-value comparison lets SQLite seek the (org, created_at, id) index straight to the
  // cursor; the equivalent OR form makes it walk down from the newest row.
  const after = page.cursor ? sql`(${columns.createdAt}, ${columns.id}) < (${page.cursor.t}, ${page.cursor.id})` : undefined;
  return query
    .where(and(...conditions, after))
    .orderBy(desc(columns.createdAt), desc(columns.id))
    .limit(page.limit + 1);
}

/** The one keyset list: fetch limit + 1 rows, trim the extra one and turn it into `nextCursor`. */
export async function listPage<T extends { createdAt: Date; id: string }>(
  query: SQLiteSelect & PromiseLike<T[]>,
  columns: KeysetColumns,
  conditions: (SQL | undefined)[],
  page: PageQuery,
): Promise<Page<T>> {
  const rows: T[] = await keysetQuery(query, columns, conditions, page);
  const limit = page.limit;
  const hasMore = rows.length > limit;
  const data = hasMore ? rows.slice(0, limit) : rows;
  const last = data.at(-1);
  return { data, nextCursor: hasMore && last ? encodeCursor({ t: last.createdAt.getTime(), id: last.id }) : null };
}

/** `?cursor=` of the oldest-first history list: the last version returned. */
export const versionCursorSchema = z
  .string()
  .max(200)
  .transform((cursor, ctx) => {
    let decoded = "";
    try {
      decoded = base64UrlToText(cursor);
    } catch {
      // reported below
    }
    const match = /^v(\d{1,9})$/.exec(decoded);
    if (!match) ctx.addIssue({ code: "custom", message: NOT_OURS });
    return Number(match?.[1]);
  })
  .openapi({ type: "string", description: "nextCursor of the previous page" });

export const encodeVersionCursor = (version: number) => textToBase64Url(`v${version}`);
