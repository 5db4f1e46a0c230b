// The development sign-in exists only under ENVIRONMENT=development: 404 everywhere else.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { call } from "../support";

async function asEnvironment(environment: string, method: string, path: string, body?: unknown) {
  const ctx = createExecutionContext();
  const init: RequestInit = { method };
  if (body !== undefined) init.body = JSON.stringify(body);
  if (body !== undefined) init.headers = { "content-type": "application/json" };
  const res = await createApp().request(`https://automation.test${path}`, init, { ...env, ENVIRONMENT: environment }, ctx);
  await waitOnExecutionContext(ctx);
  return { status: res.status, json: (await res.json()) as any };
}

describe("development sign-in", () => {
  it("is 404 in production and under tests", async () => {
    for (const environment of ["production", "staging", "test"]) {
      expect((await asEnvironment(environment, "POST", "/api/v1/dev/sign-in", {})).status).toBe(404);
      expect((await asEnvironment(environment, "GET", "/api/v1/dev/sign-in")).status).toBe(404);
    }
    expect((await call("POST", "/api/v1/dev/sign-in", { body: {} })).json.error.code).toBe("not_found");
  });

  it("is 404 outside development whatever the body, never a 400 that tells the route exists", async () => {
    for (const body of [{ role: "service" }, { org: "bad org" }, { unknown: true }, []]) {
      const res = await asEnvironment("production", "POST", "/api/v1/dev/sign-in", body);
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe("not_found");
    }
  });

  it("under development gives a local admin session the API accepts", async () => {
    expect((await asEnvironment("development", "GET", "/api/v1/dev/sign-in")).json).toEqual({ available: true });
    const res = await asEnvironment("development", "POST", "/api/v1/dev/sign-in", {});
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ org: "clinic-1", role: "admin", sub: "local-admin" });
    const webhooks = await call("GET", "/api/v1/webhooks", { token: res.json.token });
    expect(webhooks.status).toBe(200);
  });

  it("takes an org and role, and refuses the service role", async () => {
    const res = await asEnvironment("development", "POST", "/api/v1/dev/sign-in", { org: "clinic-9", role: "viewer" });
    expect(res.json).toMatchObject({ org: "clinic-9", role: "viewer" });
    expect((await asEnvironment("development", "POST", "/api/v1/dev/sign-in", { role: "service" })).status).toBe(400);
    expect((await asEnvironment("development", "POST", "/api/v1/dev/sign-in", { org: "bad org" })).status).toBe(400);
  });
});
