// One error shape for every non-2xx, x-request-id on every response, and a 500 that says
// nothing about its cause.
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, token, uniqueOrg } from "../support";
import { request, testApp } from "../support/app-harness";

const errorShape = (code: string) => ({ error: { code, message: expect.any(String) } });

describe("not found", () => {
  it("an unknown public path is a JSON 404", async () => {
    const res = await call("GET", "/nope");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.json).toEqual(errorShape("not_found"));
  });

  it("an unknown /api/v1 path with a valid token is a JSON 404", async () => {
    const res = await call("GET", "/api/v1/nothing-here", { token: await token(uniqueOrg(), "admin") });
    expect(res.status).toBe(404);
    expect(res.json).toEqual(errorShape("not_found"));
  });

  it("a wrong method on a known path is a JSON 404", async () => {
    const res = await call("DELETE", "/api/v1/webhooks/event-types", { token: await token(uniqueOrg(), "admin") });
    expect(res.status).toBe(404);
    expect(res.json).toEqual(errorShape("not_found"));
  });
});

describe("x-request-id", () => {
  const cases: [string, () => Promise<{ status: number; headers: Headers }>][] = [
    ["health", () => call("GET", "/health")],
    ["openapi", () => call("GET", "/api/v1/openapi.json")],
    ["docs", () => call("GET", "/docs")],
    ["404", () => call("GET", "/nope")],
    ["401", () => call("GET", "/api/v1/webhooks/event-types")],
    ["415", () => call("POST", "/api/v1/webhooks/event-types", { body: "x", headers: { "content-type": "text/plain" } })],
    ["200 with a token", async () => call("GET", "/api/v1/webhooks/event-types", { token: await token(uniqueOrg(), "viewer") })],
    [
      "CORS preflight",
      () =>
        call("OPTIONS", "/api/v1/webhooks", {
          headers: { origin: "https://app.purplecross.example", "access-control-request-method": "POST" },
        }),
    ],
  ];
  it.each(cases)("is on %s", async (_, send) => {
    const res = await send();
    expect(res.headers.get("x-request-id")).toMatch(/^[\w-]{8,}$/);
  });

  it("is new on each request", async () => {
    const [a, b] = await Promise.all([call("GET", "/health"), call("GET", "/health")]);
    expect(a.headers.get("x-request-id")).not.toBe(b.headers.get("x-request-id"));
  });

  it("keeps a well-formed id the caller sends, for tracing across services", async () => {
    const res = await call("GET", "/health", { headers: { "x-request-id": "trace-abc_123" } });
    expect(res.headers.get("x-request-id")).toBe("trace-abc_123");
  });

  it("replaces an id with unsafe characters", async () => {
    const res = await call("GET", "/health", { headers: { "x-request-id": 'evil"<script>' } });
    expect(res.headers.get("x-request-id")).not.toContain("<");
    expect(res.headers.get("x-request-id")).toMatch(/^[\w-]+$/);
  });
});

describe("unexpected errors", () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(["/api/v1/test-throw", "/test-throw-public"])("%s is a 500 internal_error that reveals nothing", async (path) => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await request(testApp(), path, { headers: { authorization: `Bearer ${await token(uniqueOrg(), "viewer")}` } });
    expect(res.status).toBe(500);
    expect(res.json).toEqual(errorShape("internal_error"));
    for (const leak of ["SELECT", "D1_ERROR", "secret", "at ", ".ts", "Error:"]) expect(res.text).not.toContain(leak);
    const requestId = res.headers.get("x-request-id");
    expect(requestId).toBeTruthy();
    // Operators get the cause, tied to the id the client can quote.
    expect(logged).toHaveBeenCalledOnce();
    const line = JSON.parse(String(logged.mock.calls[0]![0]));
    expect(line).toMatchObject({ level: "error", requestId });
    expect(line.error).toContain("no such column");
  });
});
