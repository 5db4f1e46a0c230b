// Items 8-11 of issue 8: JSON bodies are refused (400 with the path) rather than silently
// changed, bodyless routes refuse a body, and an empty JSON body counts as {} where the docs say so.
// Bodies nested deeper than recursive code can follow are refused too.
import { describe, expect, it } from "vitest";
import { MAX_NESTING, unsafeJsonValues } from "../../src/lib/json-safety";
import { call, client, startWorkflow, uniqueOrg } from "../support";

const raw = (as: { token: string }, method: string, path: string, body: string) =>
  call(method, path, { token: as.token, body, headers: { "content-type": "application/json" } });

describe("unsafeJsonValues", () => {
  it("names each problem by path and passes ordinary JSON", () => {
    const parsed = JSON.parse(
      '{"a":[1,1e309],"b":{"c":9007199254740993,"d":-9007199254740993,"e":"x\\ud800"},"\\udc00":1,"ok":[9007199254740991,-1.5,"\\ud83d\\ude00"]}',
    );
    // Compared as JSON text: a lone surrogate in a failure report would break the test runner's channel.
    expect(
      JSON.stringify(
        unsafeJsonValues(parsed)
          .map((p) => p.path)
          .sort(),
      ),
    ).toBe('["a.1","b.c","b.d","b.e","\\udc00"]');
    expect(unsafeJsonValues(JSON.parse('{"__proto__":{"admin":true}}'))).toEqual([{ path: "__proto__", message: expect.any(String) }]);
    expect(unsafeJsonValues({ n: 2 ** 53 - 1, s: "café 😀", a: [null, true, { x: -0.25 }] })).toEqual([]);
  });

  it("survives deep nesting without recursion", () => {
    const deep = JSON.parse(`${"[".repeat(50_000)}1e400${"]".repeat(50_000)}`);
    expect(unsafeJsonValues(deep)).toHaveLength(1);
  });

  it(`takes ${MAX_NESTING} levels of arrays and objects and refuses one more, naming where`, () => {
    const nested = (levels: number) => JSON.parse(`${'{"a":'.repeat(levels - 1)}[]${"}".repeat(levels - 1)}`);
    expect(unsafeJsonValues(nested(MAX_NESTING))).toEqual([]);
    expect(unsafeJsonValues(nested(MAX_NESTING + 1))).toEqual([
      { path: Array(MAX_NESTING).fill("a").join("."), message: `Arrays and objects may nest at most ${MAX_NESTING} levels deep` },
    ]);
  });
});

describe("deep nesting", () => {
  // Found by test/foundation/fuzz.test.ts: hashing the body for the Idempotency-Key recursed
  // once per level and overflowed the stack, a 500.
  it("an event whose data nests 10,000 deep is a 400, with or without an Idempotency-Key, and nothing is stored", async () => {
    const admin = await client(uniqueOrg(), "admin");
    const body = `{"type":"invoice.paid","data":{"invoiceId":"inv_1","lines":${"[".repeat(10_000)}${"]".repeat(10_000)}}}`;
    for (const key of ["deep-1", undefined]) {
      const res = await call("POST", "/api/v1/events", { token: admin.token, body, headers: key ? { "idempotency-key": key } : {} });
      expect(res.status, res.text).toBe(400);
      expect(res.json.error).toMatchObject({ code: "validation_error", details: [{ path: expect.stringMatching(/^data\.lines(\.0)+$/) }] });
    }
    expect((await admin.get("/api/v1/events")).json.data).toEqual([]);
  });
});

describe("numbers out of range (item 8)", () => {
  it.each([
    ['{"k":1e309}', "metadata.k"],
    ['{"big":9007199254740993}', "metadata.big"],
    ['{"neg":-1e400}', "metadata.neg"],
  ])("metadata %s is a 400 naming %s, and nothing is stored", async (metadata, path) => {
    const staff = await client(uniqueOrg(), "staff");
    const res = await raw(staff, "POST", "/api/v1/workflows", `{"documentId":"d1","workflowType":"t","steps":["a"],"metadata":${metadata}}`);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: "validation_error", details: [{ path, message: expect.any(String) }] });
    expect((await staff.get("/api/v1/workflows")).json.data).toEqual([]);
  });

  it("the largest safe integer is kept exactly", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const res = await raw(
      staff,
      "POST",
      "/api/v1/workflows",
      '{"documentId":"d1","workflowType":"t","steps":["a"],"metadata":{"n":9007199254740991}}',
    );
    expect(res.status).toBe(201);
    expect(res.json.metadata).toEqual({ n: 9007199254740991 });
  });
});

describe("ill-formed strings (item 9)", () => {
  it("a lone surrogate in a value or a key is a 400", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const value = await raw(staff, "POST", "/api/v1/workflows", '{"documentId":"doc_\\ud800x","workflowType":"t","steps":["a"]}');
    expect(value.status).toBe(400);
    expect(value.json.error.details).toEqual([{ path: "documentId", message: expect.stringContaining("surrogate") }]);
    const key = await raw(staff, "POST", "/api/v1/workflows", '{"documentId":"d","workflowType":"t","steps":["a"],"metadata":{"\\udfff":1}}');
    expect(key.status).toBe(400);
    expect((await staff.get("/api/v1/workflows")).json.data).toEqual([]);
  });

  it("a well-formed astral character is kept and found again", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const res = await raw(staff, "POST", "/api/v1/workflows", '{"documentId":"doc_\\ud83d\\udc3e","workflowType":"t","steps":["a"]}');
    expect(res.status).toBe(201);
    expect(res.json.documentId).toBe("doc_🐾");
  });
});

describe("__proto__ keys (item 10)", () => {
  it("in webhook headers and workflow metadata are a 400, not dropped", async () => {
    const admin = await client(uniqueOrg(), "admin");
    const hook = await raw(
      admin,
      "POST",
      "/api/v1/webhooks",
      '{"url":"https://hooks.example.com/","events":["*"],"headers":{"__proto__":"x","X-A":"1"}}',
    );
    expect(hook.status).toBe(400);
    expect(hook.json.error.details).toEqual([{ path: "headers.__proto__", message: expect.any(String) }]);
    const wf = await raw(
      admin,
      "POST",
      "/api/v1/workflows",
      '{"documentId":"d","workflowType":"t","steps":["a"],"metadata":{"__proto__":{"polluted":1}}}',
    );
    expect(wf.status).toBe(400);
    expect(wf.json.error.details).toEqual([{ path: "metadata.__proto__", message: expect.any(String) }]);
  });
});

describe("bodyless routes (item 10)", () => {
  it("regenerate-secret and retry refuse a non-empty body and accept none or {}; test takes only {eventType}", async () => {
    const admin = await client(uniqueOrg(), "admin");
    const hook = await admin.post("/api/v1/webhooks", { url: "https://hooks.example.com/", events: ["*"] });
    const rotate = `/api/v1/webhooks/${hook.json.id}/regenerate-secret`;
    const refused = await admin.post(rotate, { url: "https://elsewhere.example.com/" });
    expect(refused.status).toBe(400);
    expect(refused.json.error.details).toEqual([{ path: "url", message: "Unrecognized field" }]);
    expect((await admin.post(rotate, "[1]")).status).toBe(400);
    expect((await admin.post(rotate, "not json")).status).toBe(400);
    expect((await admin.post(rotate)).status).toBe(200);
    expect((await admin.post(rotate, {})).status).toBe(200);
    expect((await raw(admin, "POST", rotate, "")).status).toBe(200);

    const test = `/api/v1/webhooks/${hook.json.id}/test`;
    expect((await admin.post(test, { url: "https://elsewhere.example.com/" })).status).toBe(400);
    expect((await raw(admin, "POST", test, "")).status).toBe(202);
    const sent = await admin.post(test);
    expect(sent.status).toBe(202);

    const retry = `/api/v1/deliveries/${sent.json.deliveryId}/retry`;
    const refusedRetry = await admin.post(retry, { force: true });
    expect(refusedRetry.status).toBe(400);
    expect(refusedRetry.json.error.details).toEqual([{ path: "force", message: "Unrecognized field" }]);
  });
});

describe("an empty JSON body counts as {} (item 11)", () => {
  it("a bare POST …/advance with content-type: application/json advances", async () => {
    const staff = await client(uniqueOrg(), "staff");
    const wf = await startWorkflow(staff);
    const res = await raw(staff, "POST", `/api/v1/workflows/${wf.id}/advance`, "");
    expect(res.status, res.text).toBe(200);
    expect(res.json.currentStep).toBe(2);
  });

  it("a route that needs fields still says which are missing", async () => {
    const admin = await client(uniqueOrg(), "admin");
    const res = await raw(admin, "POST", "/api/v1/webhooks", "");
    expect(res.status).toBe(400);
    expect(res.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["events", "url"]);
  });
});
