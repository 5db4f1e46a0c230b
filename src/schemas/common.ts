// Pieces every resource schema shares: ISO timestamps, the :id path parameter, the list
// envelope and the documented error answers. Rows store Dates; answers carry ISO-8601 UTC.
import { z } from "@hono/zod-openapi";
import { ERROR_STATUS, type ErrorCode } from "../errors";

export const isoTime = z.iso.datetime().openapi({ example: "2026-01-31T12:00:00.000Z" });

export const iso = (date: Date) => date.toISOString();
export const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

/** `/{id}` of every resource, with a bounded id; an id of the wrong shape simply matches no row (404). */
export const idParamSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: "id", in: "path" }, example: "wh_0123abcd" }),
});

export const listOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() }).openapi(name);

const errorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]).openapi({ example: "validation_error" }),
      message: z.string(),
      details: z.array(z.object({ path: z.string().optional(), message: z.string() })).optional(),
    }),
  })
  .openapi("Error");

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: errorSchema } } });

export const ERROR_RESPONSES = {
  400: errorResponse("Invalid request: a parameter, the query or the body failed validation (validation_error)"),
  401: errorResponse("Missing, malformed, invalid or expired bearer token (unauthorized)"),
  403: errorResponse("The caller's role does not allow this (forbidden)"),
  404: errorResponse("No such resource in the caller's organisation (not_found)"),
  409: errorResponse("Conflicts with the resource's current state (conflict)"),
  413: errorResponse("The request body is over 256 KiB (payload_too_large)"),
  415: errorResponse("A request body that is not application/json (unsupported_media_type)"),
  429: errorResponse("The organisation's rate limit is spent; wait Retry-After seconds (rate_limited)"),
  500: errorResponse("Something failed on our side; quote the x-request-id (internal_error, bad_environment)"),
};

export type ErrorStatus = keyof typeof ERROR_RESPONSES;

/** The error answers a route documents beyond the ones apiRoute adds itself, e.g. `...errorResponses(404, 409)`. */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]) {
  return Object.fromEntries(statuses.map((s) => [s, ERROR_RESPONSES[s]])) as Pick<typeof ERROR_RESPONSES, S>;
}
/** A route's JSON body or response content, e.g. `content: json(webhookSchema)`. */
export const json = <T>(schema: T) => ({ "application/json": { schema } });
