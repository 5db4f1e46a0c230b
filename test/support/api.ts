// The typed API client of the tests: tokens for any org and role, and requests through the
// Worker's own fetch exactly as an integrator sends them.
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { sign } from "hono/jwt";
import { expect } from "vitest";
import type { Role } from "../../src/auth/roles";
import type { Workflow } from "../../src/schemas/workflows";
import type { WebhookWithSecret } from "../../src/schemas/webhooks";

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

/** A response as the tests read it; `json` is the parsed body (bodies are asserted, not typed). */
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  json: T;
  text: string;
}

/** One request through the Worker's default export, as a client would send it. */
export async function call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return sendRequest(new Request(`https://automation.test${path}`, { method, headers, body }));
}

/** Any request through the Worker's default export, read as `call` reads it (for requests `call` cannot build). */
export async function sendRequest<T = any>(request: Request): Promise<ApiResponse<T>> {
  const res = await exports.default.fetch(request);
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
    role,
    token: t,
    get: <T = any>(path: string, headers?: Record<string, string>) => call<T>("GET", path, { token: t, headers }),
    post: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => call<T>("POST", path, { token: t, body, headers }),
    put: <T = any>(path: string, body?: unknown) => call<T>("PUT", path, { token: t, body }),
    delete: <T = any>(path: string) => call<T>("DELETE", path, { token: t }),
  };
}

export type Client = Awaited<ReturnType<typeof client>>;

export const HOOK_URL = "https://receiver.example/hook";

/** A webhook created through the API (admin), subscribed to everything unless told otherwise. */
export async function createWebhook(admin: Client, body: Record<string, unknown> = {}) {
  const res = await admin.post<WebhookWithSecret>("/api/v1/webhooks", { url: HOOK_URL, events: ["*"], ...body });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

/** A workflow started through the API. */
export async function startWorkflow(as: Client, overrides: Record<string, unknown> = {}) {
  const res = await as.post<Workflow>("/api/v1/workflows", {
    documentId: "doc-1",
    workflowType: "approval",
    steps: ["review", "approve", "sign"],
    ...overrides,
  });
  expect(res.status, res.text).toBe(201);
  return res.json;
}
