// JSON routes take JSON only: a request that carries a body of another media type is a 415
// before any handler or validator sees it. Bodyless POSTs (e.g. `/test`, `/retry`) pass.
import { createMiddleware } from "hono/factory";
import { ApiError } from "../errors";

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

export const jsonBodyOnly = createMiddleware(async function jsonBodyOnly(c, next) {
  if (c.req.method === "POST" || c.req.method === "PUT" || c.req.method === "PATCH") {
    const length = c.req.header("content-length");
    const hasBody = (length !== undefined && length !== "0") || c.req.header("transfer-encoding") !== undefined;
    const mediaType = (c.req.header("content-type") ?? "").split(";")[0]!.trim();
    if (hasBody && !JSON_MEDIA_TYPE.test(mediaType)) {
      throw new ApiError("unsupported_media_type", "Request bodies must be application/json");
    }
  }
  await next();
});
