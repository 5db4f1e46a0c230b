// Every resource is an OpenAPIHono sub-app made here, so they all share one validation hook:
// a failed zod check becomes the contract's 400 `validation_error` with per-field details.
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { validationError } from "../errors";

export const createRouter = () =>
  new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      throw validationError(
        "Request validation failed",
        result.error.issues.map((issue) => ({
          path: issue.path.map(String).join(".") || result.target,
          message: issue.message,
        })),
      );
    },
  });
