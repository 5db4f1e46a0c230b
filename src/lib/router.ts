// Every resource is an OpenAPIHono sub-app made here, so they all share one validation hook:
// a failed zod check becomes the contract's 400 `validation_error` with per-field details.
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { validationError } from "../errors";

interface Issue {
  path: PropertyKey[];
  message: string;
  code?: string;
  errors?: Issue[][];
}

// A body that matches no branch of a union (POST /workflows takes a linear workflow or a
// template instance) is reported against the branch it came closest to, not as "Invalid input".
function flatten(issue: Issue): Issue[] {
  if (issue.code !== "invalid_union" || !issue.errors?.length) return [issue];
  const closest = issue.errors.reduce((best, branch) => (branch.length < best.length ? branch : best));
  return closest.flatMap((inner) => flatten({ ...inner, path: [...issue.path, ...inner.path] }));
}

export const createRouter = () =>
  new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      throw validationError(
        "Request validation failed",
        (result.error.issues as Issue[]).flatMap(flatten).map((issue) => ({
          path: issue.path.map(String).join(".") || result.target,
          message: issue.message,
        })),
      );
    },
  });
