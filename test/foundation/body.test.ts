// Request bodies: size limit, JSON only, malformed JSON and unknown or out-of-bounds fields are
// all rejected with the one error shape before any handler runs.
import { beforeAll, describe, expect, it } from "vitest";
import { BODY_LIMIT_BYTES } from "../../src/app";
import { call, token, uniqueOrg } from "../support";
import { request, testApp } from "../support/app-harness";

let auth: { authorization: string };
beforeAll(async () => {
  auth = { authorization: `Bearer ${await token(uniqueOrg(), "admin")}` };
});

const app = testApp();
const post = (body: BodyInit | null, headers: Record<string, string> = { "content-type": "application/json" }) =>
  request(app, "/api/v1/test-echo", { method: "POST", body, headers: { ...auth, ...headers } });

describe("body size", () => {
  it("is 256 KiB", () => expect(BODY_LIMIT_BYTES).toBe(256 * 1024));

  it("a body over the limit is a 413 payload_too_large", async () => {
    const res = await call("POST", "/api/v1/webhooks/event-types", { body: "x".repeat(BODY_LIMIT_BYTES + 1), token: auth.authorization.slice(7) });
    expect(res.status).toBe(413);
    expect(res.json).toEqual({ error: { code: "payload_too_large", message: expect.any(String) } });
  });

  it("a streamed body (no content-length) over the limit is a 413 too", async () => {
    const chunk = new TextEncoder().encode(`{"name":"${"a".repeat(64 * 1024)}`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 5) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await post(stream);
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe("payload_too_large");
  });

  it("a body at the limit passes the size check (and fails validation on its content instead)", async () => {
    const body = JSON.stringify({ name: "n", pad: "x".repeat(BODY_LIMIT_BYTES - 30) }).padEnd(BODY_LIMIT_BYTES, " ");
    expect(new TextEncoder().encode(body).length).toBe(BODY_LIMIT_BYTES);
    const res = await post(body);
    expect(res.status).toBe(400);
  });
});

describe("media type", () => {
  it("a text/plain body on an /api/v1 POST is a 415", async () => {
    const res = await call("POST", "/api/v1/webhooks/event-types", { body: '{"a":1}', headers: { "content-type": "text/plain" } });
    expect(res.status).toBe(415);
    expect(res.json).toEqual({ error: { code: "unsupported_media_type", message: expect.any(String) } });
  });

  it.each(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"])(
    "%s on a JSON route is a 415",
    async (type) => {
      const res = await post('{"name":"a"}', { "content-type": type });
      expect(res.status).toBe(415);
    },
  );

  it("a body with no content type is a 415", async () => {
    const res = await post(new TextEncoder().encode('{"name":"a"}'), {});
    expect(res.status).toBe(415);
  });

  it.each(["application/json", "application/json; charset=utf-8", "Application/JSON"])("%s is accepted", async (type) => {
    const res = await post('{"name":"a"}', { "content-type": type });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ name: "a" });
  });

  it("a PUT with a text body is a 415 too", async () => {
    const res = await call("PUT", "/api/v1/anything", { body: "x", headers: { "content-type": "text/plain" } });
    expect(res.status).toBe(415);
  });

  it("a bodyless POST is not a 415 (e.g. /test, /retry take no body)", async () => {
    const res = await request(app, "/api/v1/test-echo", { method: "POST", headers: auth });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_error");
  });
});

describe("JSON content", () => {
  it("malformed JSON is a 400 validation_error", async () => {
    const res = await post('{"name": "a",');
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: { code: "validation_error", message: expect.any(String) } });
  });

  it("an unknown field is a 400 naming it", async () => {
    const res = await post(JSON.stringify({ name: "a", org: "someone-else" }));
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_error");
    expect(JSON.stringify(res.json.error.details)).toContain("org");
  });

  it("a missing required field is a 400 with its path", async () => {
    const res = await post(JSON.stringify({ count: 1 }));
    expect(res.status).toBe(400);
    expect(res.json.error.details).toContainEqual({ path: "name", message: expect.any(String) });
  });

  it.each([
    ["a string too long", { name: "x".repeat(101) }, "name"],
    ["a number too big", { name: "a", count: 11 }, "count"],
    ["a fraction where an integer is due", { name: "a", count: 1.5 }, "count"],
    ["an array too long", { name: "a", tags: ["a", "b", "c", "d"] }, "tags"],
    ["an array item too long", { name: "a", tags: ["x".repeat(21)] }, "tags.0"],
    ["a wrong type", { name: 5 }, "name"],
  ])("%s is a 400 with its path", async (_, body, path) => {
    const res = await post(JSON.stringify(body));
    expect(res.status).toBe(400);
    expect(res.json.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it("a JSON array or scalar instead of an object is a 400", async () => {
    for (const body of ["[]", "1", '"a"', "null"]) {
      const res = await post(body);
      expect(res.status, body).toBe(400);
    }
  });

  it("a valid body reaches the handler unchanged", async () => {
    const body = { name: "ok", count: 3, tags: ["a"] };
    const res = await post(JSON.stringify(body));
    expect(res.status).toBe(200);
    expect(res.json).toEqual(body);
  });
});
