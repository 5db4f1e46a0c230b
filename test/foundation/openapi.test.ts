// The OpenAPI 3.1 document, /docs and /health: public, and the document valid by a real
// OpenAPI validator (schema and every $ref), so client generators can trust it.
import { validate } from "@readme/openapi-parser";
import { describe, expect, it } from "vitest";
import { call } from "../support";

const openapi = async () => {
  const res = await call("GET", "/api/v1/openapi.json");
  expect(res.status).toBe(200);
  return res.json;
};

describe("OpenAPI document", () => {
  it("is served without a token as JSON", async () => {
    const res = await call("GET", "/api/v1/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("is OpenAPI 3.1 with the catalog route and bearer auth on everything", async () => {
    const doc = await openapi();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.paths["/api/v1/webhooks/event-types"].get.responses["200"]).toBeDefined();
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
  });

  it("documents only /api/v1 routes (no test or internal paths)", async () => {
    const doc = await openapi();
    for (const path of Object.keys(doc.paths)) expect(path).toMatch(/^\/api\/v1\//);
  });

  it("passes a full OpenAPI validation (schema and $refs)", async () => {
    const result = await validate(await openapi());
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("the validator used above does reject a broken document", async () => {
    const doc = await openapi();
    doc.paths["/api/v1/broken"] = { get: { responses: { 200: { $ref: "#/components/responses/Missing" } } } };
    expect((await validate(doc)).valid).toBe(false);
    const noInfo = await openapi();
    delete noInfo.info;
    expect((await validate(noInfo)).valid).toBe(false);
  });
});

describe("public pages", () => {
  it("/docs is an HTML page pointing at the document", async () => {
    const res = await call("GET", "/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.text).toContain("/api/v1/openapi.json");
  });

  it("/health answers {status: ok} without a token", async () => {
    const res = await call("GET", "/health");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: "ok" });
  });
});
