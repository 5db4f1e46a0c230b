import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Db = ReturnType<typeof createDb>;

/** Repositories take this `db`, never a Hono context, so routes, the consumer and the DO share them. */
export const createDb = (d1: D1Database) => drizzle(d1, { schema });
