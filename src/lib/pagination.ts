// Keyset pagination, newest first. The cursor is an opaque base64url of the last row's
// (createdAt, id), so page N costs the same index range scan as page 1.
import { z } from "@hono/zod-openapi";
import { desc, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { validationError } from "../errors";

export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

interface CursorKey {
  t: number;
  id: string;
}

const encode = (key: CursorKey) =>
  btoa(JSON.stringify(key)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

function decode(cursor: string): CursorKey {
  try {
    const key = JSON.parse(atob(cursor.replaceAll("-", "+").replaceAll("_", "/"))) as CursorKey;
    if (typeof key.t === "number" && typeof key.id === "string") return key;
  } catch {
    // fall through to the 400 below
  }
  throw validationError("Invalid cursor", [{ path: "cursor", message: "not a cursor this API issued" }]);
}

/** The WHERE fragment for rows strictly after the cursor, or undefined on the first page. */
export function afterCursor(
  cursor: string | undefined,
  columns: { createdAt: SQLiteColumn; id: SQLiteColumn },
): SQL | undefined {
  if (!cursor) return undefined;
  const key = decode(cursor);
  // A row-value comparison lets SQLite seek the (org, created_at, id) index straight to the
  // cursor; the equivalent OR form makes it walk down from the newest row.
  return sql`(${columns.createdAt}, ${columns.id}) < (${key.t}, ${key.id})`;
}

export const newestFirst = (columns: { createdAt: SQLiteColumn; id: SQLiteColumn }) => [
  desc(columns.createdAt),
  desc(columns.id),
];

/** Fetch limit + 1 rows; this trims the extra one and turns it into `nextCursor`. */
export function page<T extends { createdAt: Date; id: string }>(rows: T[], limit: number) {
  const hasMore = rows.length > limit;
  const data = hasMore ? rows.slice(0, limit) : rows;
  const last = data.at(-1);
  return { data, nextCursor: hasMore && last ? encode({ t: last.createdAt.getTime(), id: last.id }) : null };
}
