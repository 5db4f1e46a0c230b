// The OpenAPI document against the running app: it documents every route the app serves, and
// every operation declares each status the route really answers. Each operation is probed the
// ways the shared middleware and the validator can refuse it (no token, a role without the
// permission, ids that do not exist, a bad parameter, query, body or x-d1-bookmark, an oversized
// or non-JSON body) and once successfully; every status seen must be a declared response. 409s come from
// each resource's own state and are covered by its tests; 429 and 500 can be answered by every
// route (rate limit, failures) and must be declared everywhere.
import { describe, expect, it } from "vitest";
import { type ApiResponse, call, client, uniqueOrg } from "../support";
import { ACCESS_MATRIX, type AccessFixture, ROLES, seedAccessFixture } from "../support/access-matrix";
import { appRouteKeys } from "../support/routes";

interface Operation {
  security?: unknown[];
  parameters?: { name: string; in: string; schema: { type?: string; enum?: unknown[]; maxLength?: number; maximum?: number } }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
}

const doc = (await call("GET", "/api/v1/openapi.json")).json as { paths: Record<string, Record<string, Operation>> };
const operations = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
  Object.entries(byMethod).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, op })),
);

const MISSING: AccessFixture = {
  webhookId: "wh_00000000000000000000000000000000",
  deliveryId: "msg_00000000000000000000000000000000",
  eventId: "evt_00000000000000000000000000000000",
  workflowId: "wf_00000000000000000000000000000000",
  templateKey: "no-such-template",
  taskId: "task_00000000000000000000000000000000",
};

/** The path with each `{param}` filled in: ids from the fixture, `{param}` values too long for their schema when `tooLong`. */
function concrete(path: string, op: Operation, fixture: AccessFixture, tooLong = false) {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const max = op.parameters?.find((p) => p.in === "path" && p.name === name)?.schema.maxLength;
    if (tooLong && max) return "x".repeat(max + 1);
    if (name === "key") return fixture.templateKey;
    if (name === "documentId") return "doc-1";
    if (path.startsWith("/api/v1/webhooks/")) return fixture.webhookId;
    if (path.startsWith("/api/v1/deliveries/")) return fixture.deliveryId;
    if (path.startsWith("/api/v1/events/")) return fixture.eventId;
    if (path.startsWith("/api/v1/tasks/")) return fixture.taskId;
    return fixture.workflowId;
  });
}

/** A query string with one value its schema refuses, or undefined when no query parameter has such a value. */
function badQuery(op: Operation): string | undefined {
  for (const p of op.parameters ?? []) {
    if (p.in !== "query") continue;
    if (p.schema.type === "integer" || p.schema.type === "number") return `${p.name}=abc`;
    if (p.schema.enum) return `${p.name}=not-a-value`;
    if (p.schema.maxLength) return `${p.name}=${"x".repeat(p.schema.maxLength + 1)}`;
  }
  return undefined;
}

describe("the OpenAPI document", () => {
  it("documents exactly the routes the app serves", () => {
    expect(operations.map((o) => o.key).sort()).toEqual(appRouteKeys());
  });

  it.each(operations)("$key: every error answer is the Error schema, 429 and 500 declared", ({ op }) => {
    const statuses = Object.keys(op.responses);
    // Operations that take no token (`security: []`, the dashboard's sign-in) have no token to refuse.
    const tokenless = Array.isArray(op.security) && op.security.length === 0;
    expect(statuses).toEqual(expect.arrayContaining(tokenless ? ["429", "500"] : ["401", "429", "500"]));
    for (const status of statuses.filter((s) => Number(s) >= 400)) {
      expect(op.responses[status]!.content?.["application/json"]?.schema.$ref, status).toBe("#/components/schemas/Error");
    }
  });
});

describe.each(operations)("$key", ({ key, method, path, op }) => {
  it("declares every status the route answers", async () => {
    const access = ACCESS_MATRIX[key]!;
    const org = uniqueOrg("oas");
    const fixture = await seedAccessFixture(org);
    const allowed = await client(org, access.roles.includes("admin") ? "admin" : access.roles[0]!);
    const seen = new Map<number, string>();
    const probe = async (what: string, request: Promise<ApiResponse>) => {
      const res = await request;
      if (!seen.has(res.status)) seen.set(res.status, what);
    };

    await probe("no token", call(method, concrete(path, op, fixture)));
    const denied = ROLES.find((role) => !access.roles.includes(role));
    if (denied) await probe(`as ${denied}`, access.ask(await client(org, denied), fixture));
    if (path.includes("{")) {
      await probe("ids that do not exist", access.ask(allowed, MISSING));
      await probe("path parameters too long", call(method, concrete(path, op, fixture, true), { token: allowed.token }));
    }
    const query = badQuery(op);
    if (query) await probe(`?${query}`, call(method, `${concrete(path, op, fixture)}?${query}`, { token: allowed.token }));
    const url = concrete(path, op, fixture);
    // Refused before any route runs, so every operation can answer it.
    await probe("a malformed x-d1-bookmark", call(method, url, { token: allowed.token, headers: { "x-d1-bookmark": "not-a-bookmark" } }));
    // The body limit holds for a DELETE's body too.
    if (method !== "GET") await probe("a body over 256 KiB", call(method, url, { token: allowed.token, body: { padding: "x".repeat(300 * 1024) } }));
    if (method === "POST" || method === "PUT" || method === "PATCH") {
      await probe("malformed JSON", call(method, url, { token: allowed.token, body: "{" }));
      await probe("a text/plain body", call(method, url, { token: allowed.token, body: "x", headers: { "content-type": "text/plain" } }));
    }
    await probe("the matrix's successful call", access.ask(allowed, fixture));

    const declared = Object.keys(op.responses).map(Number);
    const undeclared = [...seen].filter(([status]) => !declared.includes(status)).map(([status, what]) => `${status} (${what})`);
    expect(undeclared).toEqual([]);
    expect(seen.has(access.ok)).toBe(true);
  });
});
