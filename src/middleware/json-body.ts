// JSON routes take JSON only: a request that carries a body of another media type is a 415
// before any handler or validator sees it. Bodyless POSTs (e.g. `/test`, `/retry`) pass.
// After auth, a JSON body is checked for values JSON.parse would silently change
// (lib/json-safety.ts), and an empty JSON body counts as `{}`.
import { createMiddleware } from "hono/factory";
import type { Context } from "hono";
import { ApiError, validationError } from "../errors";
import { unsafeJsonValues } from "../lib/json-safety";

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;
const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

const mediaTypeOf = (c: Context) => (c.req.header("content-type") ?? "").split(";")[0]!.trim();

export const jsonBodyOnly = createMiddleware(async function jsonBodyOnly(c, next) {
  if (BODY_METHODS.has(c.req.method)) {
    const length = c.req.header("content-length");
    const hasBody = (length !== undefined && length !== "0") || c.req.header("transfer-encoding") !== undefined;
    if (hasBody && !JSON_MEDIA_TYPE.test(mediaTypeOf(c))) {
      throw new ApiError("unsupported_media_type", "Request bodies must be application/json");
    }
  }
  await next();
});

/**
 * Refuses a JSON body holding non-finite or unsafe numbers, ill-formed strings or `__proto__`
 * keys, and turns an empty JSON body into `{}` (the docs promise a bodyless change request
 * counts as `{}`). Malformed JSON is left to the route's validator, which answers it.
 */
export const strictJsonBody = createMiddleware(async function strictJsonBody(c, next) {
  if (!BODY_METHODS.has(c.req.method) || !JSON_MEDIA_TYPE.test(mediaTypeOf(c))) return next();
  const text = await c.req.text();
  if (text.trim() === "") {
    // The validators read the body again through HonoRequest: give them "{}" to read.
    c.req.raw = new Request(c.req.raw, { body: "{}" });
    c.req.bodyCache = {};
    return next();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return next();
  }
  const problems = unsafeJsonValues(parsed);
  if (problems.length > 0) throw validationError("Request body holds values that JSON cannot carry safely", problems);
  await next();
});

/** For routes that take no body: nothing, an empty body or `{}` pass; anything else is a 400. */
export const noRequestBody = createMiddleware(async function noRequestBody(c, next) {
  const text = (await c.req.text()).trim();
  let parsed: unknown = {};
  if (text !== "") {
    try {
      parsed = JSON.parse(text);
    } catch {
      throw validationError("Malformed JSON in request body");
    }
  }
  const isEmptyObject = parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) && Object.keys(parsed).length === 0;
  if (!isEmptyObject) {
    const fields = parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? Object.keys(parsed) : [];
    throw validationError(
      "This endpoint takes no request body",
      fields.length ? fields.slice(0, 10).map((path) => ({ path, message: "Unrecognized field" })) : undefined,
    );
  }
  await next();
});
