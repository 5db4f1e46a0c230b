// The one way to declare an API route: createRoute plus what every /api/v1 route shares, so
// the OpenAPI document cannot forget it. From `permission` it adds the guard and says in the
// description which roles may call; from the request's shape it declares the error answers the
// middleware and the validator can give (400, 401, 403, 429, 500 always; 413 for every method
// but GET; 415 for POST/PUT/PATCH). A route adds its own (404, 409) with errorResponses.
import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { can, type Permission, ROLES } from "../auth/roles";
import { requirePermission } from "../middleware/auth";
import { ERROR_RESPONSES, type ErrorStatus } from "../schemas/common";

/** The document's tags, in the order the reference lists them. */
export const API_TAGS = {
  Webhooks: "Endpoints that receive events, their secrets, health and deliveries",
  Deliveries: "One event sent to one webhook, with its attempt log",
  Events: "Publishing events and reading them back",
  Workflows: "Document workflows: linear step lists or template instances",
  "Workflow templates": "Versioned workflow definitions",
  Tasks: "Human steps of template workflows",
  Dashboard: "Signing clinic staff into the dashboard: one-time portal links and their exchange",
  "Event payloads": "What Purple Cross POSTs to your webhook for each event type",
} as const;

export type ApiTag = keyof typeof API_TAGS;

type ApiRouteConfig = Omit<RouteConfig, "middleware" | "tags" | "operationId"> & {
  /** camelCase, unique: the method name generated SDKs get. */
  operationId: string;
  tag: ApiTag;
  permission: Permission;
  /** Route middleware run after the permission guard (e.g. noRequestBody). */
  use?: readonly MiddlewareHandler[];
};

const rolesWith = (permission: Permission) => ROLES.filter((role) => can(role, permission));

function commonErrors(config: ApiRouteConfig): Partial<Pick<typeof ERROR_RESPONSES, 400 | 401 | 403 | 413 | 415 | 429 | 500>> {
  // 400 on every route: a malformed x-d1-bookmark header is refused before any route runs (db/session.ts).
  const statuses: ErrorStatus[] = [400, 401, 403, 429, 500];
  // The body limit holds for every method that may carry a body; only JSON routes check its media type.
  if (config.method !== "get") statuses.push(413);
  if (config.method === "post" || config.method === "put" || config.method === "patch") statuses.push(415);
  return Object.fromEntries(statuses.map((s) => [s, ERROR_RESPONSES[s]]));
}

export function apiRoute<const P extends string, const R extends Omit<ApiRouteConfig, "path"> & { path: P }>(config: R) {
  const { permission, tag, description, use = [], ...rest } = config;
  const roles = `Roles: ${rolesWith(permission).join(", ")} (permission \`${permission}\`).`;
  return createRoute({
    ...rest,
    tags: [tag],
    description: description ? `${description}\n\n${roles}` : roles,
    middleware: [requirePermission(permission), ...use] as const,
    responses: { ...commonErrors(config), ...rest.responses },
  });
}
