// Shared test helpers: tokens for any org/role, and requests through the Worker's own fetch.
import { exports } from "cloudflare:workers";
import { env } from "cloudflare:test";
import { sign } from "hono/jwt";
import type { Role } from "../src/auth/roles";

export const uniqueOrg = (label = "org") => `${label}-${crypto.randomUUID().slice(0, 8)}`;

export async function token(org: string, role: Role, extra: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return sign({ sub: `${role}-user`, org, role, iat: now, exp: now + 300, ...extra }, env.JWT_SECRET, "HS256");
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One request through the Worker's default export, as a client would send it. */
export async function call(method: string, path: string, options: CallOptions = {}) {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const res = await exports.default.fetch(new Request(`https://automation.test${path}`, { method, headers, body }));
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** A caller bound to one org and role: `as.get("/api/v1/…")`. */
export async function client(org: string, role: Role, claims: Record<string, unknown> = {}) {
  const t = await token(org, role, claims);
  return {
    org,
    token: t,
    get: (path: string, headers?: Record<string, string>) => call("GET", path, { token: t, headers }),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call("POST", path, { token: t, body, headers }),
    put: (path: string, body?: unknown) => call("PUT", path, { token: t, body }),
    delete: (path: string) => call("DELETE", path, { token: t }),
  };
}
