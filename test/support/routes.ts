// The routes the app really serves, read from hono's own route table (so a route added without
// OpenAPI is seen too), as "METHOD /path" keys with OpenAPI-style `{param}`s.
import { createApp } from "../../src/app";

/** Public, unauthenticated routes outside the versioned API. */
const NOT_API = new Set(["GET /api/v1/openapi.json"]);

export function appRouteKeys(): string[] {
  const keys = createApp()
    .routes.filter((r) => r.method !== "ALL" && r.path.startsWith("/api/v1/"))
    .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`)
    .filter((key) => !NOT_API.has(key));
  return [...new Set(keys)].sort();
}
