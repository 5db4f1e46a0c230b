// Pieces every resource schema shares: ISO timestamps, the :id path parameter, the list
// envelope and the documented error answers. Rows store Dates; answers carry ISO-8601 UTC.
import { z } from "@hono/zod-openapi";

export const isoTime = z.iso.datetime().openapi({ example: "2026-01-31T12:00:00.000Z" });

export const iso = (date: Date) => date.toISOString();
export const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

/** `/{id}` with a bounded id; an id of the wrong shape simply matches no row (404). */
export const idParamSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "wh_0123abcd" }),
});

export const listOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() }).openapi(name);

const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation_error" }),
      message: z.string(),
      details: z.array(z.object({ path: z.string().optional(), message: z.string() })).optional(),
    }),
  })
  .openapi("Error");

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: errorSchema } } });

const ERROR_RESPONSES = {
  400: errorResponse("Invalid request (validation_error)"),
  401: errorResponse("Missing or invalid token"),
  403: errorResponse("The caller's role does not allow this"),
  404: errorResponse("No such resource in the caller's organisation"),
  409: errorResponse("Conflicts with the resource's current state"),
};

/** The error answers a route documents, e.g. `...errorResponses(400, 404)`; 401 is always included. */
export function errorResponses<S extends keyof typeof ERROR_RESPONSES>(...statuses: S[]) {
  const picked = Object.fromEntries([401, ...statuses].map((s) => [s, ERROR_RESPONSES[s as S]]));
  return picked as Pick<typeof ERROR_RESPONSES, S | 401>;
}

/** A route's JSON body or response content, e.g. `content: json(webhookSchema)`. */
export const json = <T>(schema: T) => ({ "application/json": { schema } });
