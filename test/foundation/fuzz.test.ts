// The guarantee outside fuzzers measure: no request, however mangled, gets a 5xx, and bad input
// gets a clear 4xx JSON error and changes nothing. openapi-responses.test.ts probes each
// operation a fixed handful of ways; here fast-check generates the requests, per operation of
// the OpenAPI document: the access matrix's successful call with body fields dropped or replaced
// (any JSON, wrong types, huge strings, deep nesting, lone surrogates, numbers JSON cannot
// carry), non-JSON bodies and other media types, path parameters and query strings of any
// shape (unknown and repeated parameters, forged cursors), odd headers (Idempotency-Key, the D1
// bookmark, Accept, If-Match, Origin) and missing, garbage, expired, forged or odd-claimed tokens.
// Every answer must be a 2xx or 4xx (one the operation declares, unless a mangled path parameter
// took the request elsewhere); every 4xx the Error shape with the code of its status; and a
// refused write (any method but GET) must leave every row of the org as it was.
//
// fast-check, not a hand-rolled generator: it shrinks a failure to a small request and prints the
// seed and path that replay it (pass them as REPLAY below). Each run draws new requests, so runs
// add up to more than any one of them sends.
import { env } from "cloudflare:test";
import fc from "fast-check";
import { sign } from "hono/jwt";
import type { JWTPayload } from "hono/utils/jwt/types";
import { expect, it } from "vitest";
import { z } from "zod";
import { ROLES } from "../../src/auth/roles";
import { ERROR_STATUS, type ErrorCode } from "../../src/errors";
import { textToBase64Url } from "../../src/lib/base64";
import { type ApiResponse, type Client, call, orgSnapshot, sendRequest, token, uniqueOrg } from "../support";
import { ACCESS_MATRIX, type AccessFixture, seedAccessFixture } from "../support/access-matrix";

/** Requests per operation and run: 39 operations × 60 = 2,340 requests, about 20 s on 2 cores. */
const NUM_RUNS = 60;
/** A failure's `{ seed, path }`, to replay it exactly while fixing it; undefined otherwise. */
const REPLAY: { seed: number; path: string } | undefined = undefined;

interface Parameter {
  name: string;
  in: string;
  schema: { type?: string; enum?: string[]; format?: string };
}
interface Schema {
  $ref?: string;
  properties?: Record<string, Schema>;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, unknown>;
}

const doc = (await call("GET", "/api/v1/openapi.json")).json as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};
const operations = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
  Object.entries(byMethod).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, op })),
);

// ---- Values -------------------------------------------------------------------------------

/** Any code point, lone surrogates included (fast-check's "binary" unit leaves them out). */
const anyChar = fc.oneof(
  { weight: 9, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
);
/** Tab and printable ASCII: workerd re-encodes anything above as UTF-8 (and warns), so a client could not send it as is. */
const headerChar = fc.oneof(
  fc.constant("\t"),
  fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
);
const headerText = fc.string({ unit: headerChar, maxLength: 40 });

/** A long run of one character, kept as a description so a failure report stays readable. */
interface Long {
  long: number;
  char: string;
}
const long = (max: number) =>
  fc.record({
    long: fc.oneof(fc.constantFrom(129, 257, 1_025, 8_193, max), fc.integer({ min: 100, max })),
    char: fc.constantFrom("x", "é", "😀", "\u0000", "%"),
  });
const spell = (l: Long) => l.char.repeat(l.long);

/** Number literals JSON.parse accepts and turns into something else (Infinity, a rounded integer). */
const oddNumber = fc.constantFrom("1e400", "-1e400", "9007199254740993", "-0", "1e-400", "0.1e1", "1E5", "123456789012345678901234567890");

// ---- Bodies -------------------------------------------------------------------------------

/** A replacement for one place in a JSON body: dropped, any JSON, a raw literal, deep nesting or a long string. */
type Replacement = { drop: true } | { json: unknown } | { raw: string } | { deep: number; open: "[" | "{" } | { string: Long };
const replacement: fc.Arbitrary<Replacement> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ drop: true as const }) },
  { weight: 2, arbitrary: fc.record({ json: fc.jsonValue({ stringUnit: anyChar, maxDepth: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ json: fc.constantFrom(null, true, false, 0, -1, 1.5, "", [], {}, [[]], { "": null }) }) },
  { weight: 1, arbitrary: fc.record({ raw: oddNumber }) },
  {
    weight: 2,
    arbitrary: fc.record({
      deep: fc.oneof(fc.constantFrom(64, 65, 1_000, 10_000, 100_000), fc.integer({ min: 10, max: 100_000 })),
      open: fc.constantFrom("[" as const, "{" as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ string: long(300_000) }) },
);

type Body =
  | { kind: "valid" }
  | { kind: "none" }
  | { kind: "replace"; at: (string | number)[]; with: Replacement }
  | { kind: "whole"; with: Replacement }
  | { kind: "text"; text: string }
  | { kind: "bytes"; bytes: number[] };

const MULTIPART = '------fuzz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n------fuzz--\r\n';
const oddText = fc.oneof(
  fc.string({ unit: anyChar, maxLength: 50 }),
  fc.constantFrom(
    "{",
    "[1,",
    '{"a":}',
    "nul",
    "\ufeff{}",
    "{} {}",
    '{"a":1,"a":2}',
    '{"__proto__":{"role":"admin"}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '"\\ud800"',
    "[]",
    "null",
    "0",
    " ",
    "a=b&c=d",
    MULTIPART,
  ),
);

/** Every place in a JSON value (as key paths), and one new key under each object. */
function placesIn(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => [[...at, i], ...placesIn(item, [...at, i])]);
  if (value !== null && typeof value === "object") {
    return [[...at, "unknownField"], ...Object.entries(value).flatMap(([key, item]) => [[...at, key], ...placesIn(item, [...at, key])])];
  }
  return [];
}

/** The fields the operation's body schema names (optional ones too), as key paths. */
function schemaPlaces(schema: Schema | undefined, at: string[] = []): string[][] {
  if (!schema || at.length > 3) return [];
  if (schema.$ref) return schemaPlaces(doc.components.schemas[schema.$ref.split("/").at(-1)!], at);
  const branches = [...(schema.oneOf ?? []), ...(schema.anyOf ?? []), ...(schema.allOf ?? [])].flatMap((branch) => schemaPlaces(branch, at));
  const fields = Object.entries(schema.properties ?? {}).flatMap(([key, field]) => [[...at, key], ...schemaPlaces(field, [...at, key])]);
  return [...branches, ...fields];
}

function bodyArbitrary(valid: unknown, schema: Schema | undefined): fc.Arbitrary<Body> {
  const unique = new Map([...placesIn(valid ?? {}), ...schemaPlaces(schema)].map((place) => [JSON.stringify(place), place]));
  const places = [...unique.values()];
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant({ kind: "valid" as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: "none" as const }) },
    { weight: 8, arbitrary: fc.record({ kind: fc.constant("replace" as const), at: fc.constantFrom(...places), with: replacement }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("whole" as const), with: replacement }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("text" as const), text: oddText }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant("bytes" as const), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 32 }) }),
    },
  );
}

const PLACEHOLDER = "\u0000fuzz\u0000";

function rawJson(r: Exclude<Replacement, { drop: true }>): string {
  if ("json" in r) return JSON.stringify(r.json);
  if ("raw" in r) return r.raw;
  if ("string" in r) return JSON.stringify(spell(r.string));
  return r.open === "[" ? `${"[".repeat(r.deep)}${"]".repeat(r.deep)}` : `${'{"a":'.repeat(r.deep)}0${"}".repeat(r.deep)}`;
}

/** `valid` with the place `at` replaced (or dropped), as JSON text. */
function replaced(valid: unknown, at: (string | number)[], r: Replacement): string {
  const copy = structuredClone(valid ?? {}) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of at.slice(0, -1)) {
    // A schema field the valid body leaves out: made, so the place inside it can be filled.
    if (parent[key] === null || typeof parent[key] !== "object") parent[key] = {};
    parent = parent[key] as Record<string | number, unknown>;
  }
  const last = at.at(-1)!;
  if ("drop" in r) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
    return JSON.stringify(copy);
  }
  parent[last] = PLACEHOLDER;
  return JSON.stringify(copy).replace(JSON.stringify(PLACEHOLDER), () => rawJson(r));
}

/** The bytes sent (no Content-Type is added for bytes), or undefined for no body. */
function bodyBytes(body: Body, valid: unknown): Uint8Array | undefined {
  const utf8 = (text: string) => new TextEncoder().encode(text);
  switch (body.kind) {
    case "none":
      return undefined;
    case "valid":
      return utf8(JSON.stringify(valid ?? {}));
    case "replace":
      return utf8(replaced(valid, body.at, body.with));
    case "whole":
      return utf8("drop" in body.with ? "" : rawJson(body.with));
    case "text":
      return utf8(body.text);
    case "bytes":
      return new Uint8Array(body.bytes);
  }
}

const contentType = fc.oneof(
  { weight: 12, arbitrary: fc.constant("application/json") },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "application/json; charset=utf-8",
      "APPLICATION/JSON",
      "application/problem+json",
      "application/json; charset=iso-8859-1",
      "text/plain",
      "multipart/form-data; boundary=----fuzz",
      "application/x-www-form-urlencoded",
      "application/octet-stream",
      "application/jsonx",
      "",
    ),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: headerText },
);

// ---- Paths and queries --------------------------------------------------------------------

/** A path segment in place of a parameter: any text percent-encoded, or raw oddities. */
type Segment = { text: string } | { raw: string } | { other: keyof AccessFixture } | { string: Long };
const segment: fc.Arbitrary<Segment> = fc.oneof(
  fc.record({ text: fc.string({ unit: "binary", maxLength: 40 }) }),
  fc.record({ text: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 20 }) }),
  fc.record({
    raw: fc.constantFrom(
      "..",
      ".",
      "%2e%2e",
      "%00",
      "%",
      "%zz",
      "%ED%A0%80",
      "%FF%FE",
      "%C0%AF",
      "a%2Fb",
      "%20",
      "%0A",
      "__proto__",
      "constructor",
      "-1",
    ),
  }),
  fc.record({ other: fc.constantFrom<keyof AccessFixture>("webhookId", "deliveryId", "eventId", "workflowId", "templateKey", "taskId") }),
  fc.record({ string: long(20_000) }),
);

function spellSegment(s: Segment, fixture: AccessFixture): string {
  if ("text" in s) return encodeURIComponent(s.text);
  if ("raw" in s) return s.raw;
  if ("other" in s) return encodeURIComponent(fixture[s.other]);
  return encodeURIComponent(spell(s.string));
}

/** Cursors as this API encodes them (base64url JSON), holding what it never issued. */
const cursor = fc.oneof(
  fc
    .record({
      t: fc.oneof(oddNumber, fc.integer().map(String), fc.double({ noNaN: true, noDefaultInfinity: true }).map(String)),
      id: fc.string({ unit: anyChar }),
    })
    .map(({ t, id }) => textToBase64Url(`{"t":${t},"id":${JSON.stringify(id)}}`)),
  fc.jsonValue({ maxDepth: 2 }).map((v) => textToBase64Url(JSON.stringify(v))),
  fc.oneof(fc.nat().map(String), oddNumber).map((n) => textToBase64Url(`v${n}`)),
  fc.string({ unit: "grapheme-ascii", maxLength: 30 }).map(encodeURIComponent),
);

const anyQueryValue = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }).map(encodeURIComponent),
  fc.constantFrom("", "%", "%zz", "%00", "%ED%A0%80", "a+b", "true", "null", "[]", "%5B%5D"),
  fc.integer({ min: 100, max: 10_000 }).map((n) => "x".repeat(n)),
);

/** Values near what a query parameter's schema takes. */
function plausible(p: Parameter): fc.Arbitrary<string> {
  if (p.name === "cursor") return cursor;
  if (p.schema.enum)
    return fc.constantFrom(...p.schema.enum, ...p.schema.enum.map((v) => v.toUpperCase()), `${p.schema.enum[0]},${p.schema.enum[0]}`);
  if (p.schema.type === "integer") {
    return fc.oneof(fc.integer().map(String), fc.constantFrom("0", "101", "1e3", "1.5", "0x10", "%205", "NaN", "Infinity"), oddNumber);
  }
  if (p.schema.format === "date-time") {
    return fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => encodeURIComponent(d.toISOString())),
      fc.constantFrom("2026-02-30T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "2026-01-01", "2026-01-01T00:00:00%2B99:99"),
    );
  }
  return fc.string({ unit: "grapheme-ascii", maxLength: 130 }).map(encodeURIComponent);
}

function queryArbitrary(op: Operation): fc.Arbitrary<[string, string][]> {
  const documented = (op.parameters ?? []).filter((p) => p.in === "query");
  const unknown = fc.tuple(
    fc.oneof(
      fc.constantFrom("__proto__", "constructor", "limit[]", "cursor[0]", "", "%", "a=b"),
      fc.string({ maxLength: 8 }).map(encodeURIComponent),
    ),
    anyQueryValue,
  );
  const known = documented.map((p) =>
    fc.tuple(fc.constant(p.name), fc.oneof({ weight: 3, arbitrary: plausible(p) }, { weight: 1, arbitrary: anyQueryValue })),
  );
  // Repeats come from the array: the same name may be drawn twice.
  return fc.array(known.length ? fc.oneof({ weight: 3, arbitrary: fc.oneof(...known) }, { weight: 1, arbitrary: unknown }) : unknown, {
    maxLength: 4,
  });
}

// ---- Headers and tokens -------------------------------------------------------------------

/** Headers the operation documents (Idempotency-Key): mostly present and well-formed, so what they guard is reached. */
function documentedHeaders(op: Operation): fc.Arbitrary<Record<string, string | undefined>> {
  const names = (op.parameters ?? []).filter((p) => p.in === "header").map((p) => p.name);
  const value = fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 40 }) },
    // A few keys, so a key comes back with another body (409) or the same one (a replay).
    { weight: 2, arbitrary: fc.constantFrom("key-1", "key-2") },
    { weight: 1, arbitrary: fc.oneof(headerText, fc.constantFrom("", " ", "x".repeat(256), "\t")) },
  );
  return fc.record(Object.fromEntries(names.map((name) => [name, fc.option(value, { freq: 4, nil: undefined })])));
}

/** Headers some route or middleware reads, with odd values; absent most of the time so the rest is reached. */
const oddHeaders = fc.oneof(
  { weight: 3, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        "x-d1-bookmark": fc.oneof(
          headerText,
          fc.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/),
          fc.constantFrom(
            "00000000-00000000-00000000-00000000000000000000000000000000",
            "ffffffff-ffffffff-ffffffff-ffffffffffffffffffffffffffffffff",
          ),
        ),
        accept: fc.oneof(headerText, fc.constantFrom("application/xml", "text/html", "*/*;q=0", "application/json;q=0")),
        "if-match": headerText,
        "if-none-match": headerText,
        "x-request-id": headerText,
        origin: fc.oneof(headerText, fc.constantFrom("https://app.purplecross.example", "null")),
      },
      { requiredKeys: [] },
    ),
  },
);

type Auth =
  | { kind: "allowed" }
  | { kind: "none" }
  | { kind: "expired" }
  | { kind: "wrong secret" }
  | { kind: "role"; role: (typeof ROLES)[number] }
  | { kind: "header"; value: string }
  | { kind: "claims"; claims: Record<string, unknown> };

function authArbitrary(org: string): fc.Arbitrary<Auth> {
  const claim = fc.oneof(fc.jsonValue({ stringUnit: anyChar, maxDepth: 2 }), fc.constantFrom<unknown>(org, ...ROLES, "", "x".repeat(257)));
  const exp = fc.oneof(claim, fc.constantFrom(Math.floor(Date.now() / 1000) + 300, 1e300, -1, 0));
  return fc.oneof(
    { weight: 24, arbitrary: fc.constant({ kind: "allowed" as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: "none" as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: "expired" as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: "wrong secret" as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("role" as const), role: fc.constantFrom(...ROLES) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("header" as const),
        value: fc.oneof(
          headerText,
          fc.constantFrom("Bearer", "Bearer ", "Bearer a.b.c", "Bearer ...", "Basic dXNlcjpwYXNz", `Bearer ${"x".repeat(5000)}`),
        ),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("claims" as const),
        claims: fc.record({ sub: claim, org: claim, role: claim, exp, nbf: claim, iat: claim }, { requiredKeys: ["exp"] }),
      }),
    },
  );
}

// ---- The property -------------------------------------------------------------------------

const errorBody = z.strictObject({
  error: z.strictObject({
    code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
    message: z.string().min(1),
    details: z
      .array(z.strictObject({ path: z.string().optional(), message: z.string().min(1) }))
      .min(1)
      .optional(),
  }),
});

/** The matrix's successful call for `key`, recorded instead of sent: its path and body. */
async function successfulCall(key: string, org: string, fixture: AccessFixture) {
  let recorded: { path: string; body?: unknown } | undefined;
  const record = async (path: string, body?: unknown): Promise<ApiResponse> => {
    recorded = { path, body };
    return { status: 0, headers: new Headers(), json: undefined, text: "" };
  };
  const recorder: Client = { org, role: "admin", token: "", get: record, post: record, put: record, delete: record };
  await ACCESS_MATRIX[key]!.ask(recorder, fixture);
  return recorded!;
}

/** Waits until no delivery or engine dispatch of the org is in flight (a 2xx may have started some). */
async function settle(org: string) {
  const busy = env.DB.prepare(
    "SELECT (SELECT count(*) FROM deliveries WHERE org = ?1 AND status = 'pending') + (SELECT count(*) FROM engine_dispatches WHERE org = ?1) AS n",
  ).bind(org);
  for (let waited = 0; (await busy.first<number>("n"))! > 0; waited += 50) {
    if (waited > 15_000) throw new Error(`org ${org} still has work in flight after 15 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it.each(operations)(
  "$key: no mangled request gets a 5xx or an undeclared status, and a refused write changes nothing",
  async ({ key, method, path, op }) => {
    const access = ACCESS_MATRIX[key]!;
    const org = uniqueOrg("fuzz");
    const fixture = await seedAccessFixture(org);
    const role = access.roles.includes("admin") ? "admin" : access.roles[0]!;
    const valid = await successfulCall(key, org, fixture);
    const now = Math.floor(Date.now() / 1000);
    const tokens = {
      allowed: await token(org, role),
      expired: await token(org, role, { iat: now - 600, exp: now - 60 }),
      wrongSecret: await sign({ sub: "x", org, role, exp: now + 300 }, "not-the-secret-0123456789abcdef0123456789abcdef", "HS256"),
    };
    const authorization = async (auth: Auth): Promise<string | undefined> => {
      if (auth.kind === "allowed") return `Bearer ${tokens.allowed}`;
      if (auth.kind === "expired") return `Bearer ${tokens.expired}`;
      if (auth.kind === "wrong secret") return `Bearer ${tokens.wrongSecret}`;
      if (auth.kind === "role") return `Bearer ${await token(org, auth.role)}`;
      if (auth.kind === "header") return auth.value;
      if (auth.kind === "claims") return `Bearer ${await sign(auth.claims as JWTPayload, env.JWT_SECRET, "HS256")}`;
      return undefined;
    };
    const writes = method !== "GET";
    const segments = valid.path.split("/");
    const params = path
      .split("/")
      .map((part, i) => (part.startsWith("{") ? i : -1))
      .filter((i) => i >= 0);
    const declared = Object.keys(op.responses).map(Number);

    const request = fc.record({
      params: fc.array(fc.option(segment, { freq: 3 }), { minLength: params.length, maxLength: params.length }),
      query: queryArbitrary(op),
      body: writes ? bodyArbitrary(valid.body, op.requestBody?.content["application/json"]?.schema) : fc.constant({ kind: "none" as const }),
      contentType,
      documented: documentedHeaders(op),
      headers: oddHeaders,
      auth: authArbitrary(org),
    });

    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const parts = [...segments];
        r.params.forEach((s, i) => {
          if (s) parts[params[i]!] = spellSegment(s, fixture);
        });
        const query = r.query.length ? `?${r.query.map(([k, v]) => `${k}=${v}`).join("&")}` : "";
        // The sign-in routes limit by client address: one of its own keeps other files' calls apart.
        const headers = new Headers({ ...r.headers, "cf-connecting-ip": org });
        for (const [name, value] of Object.entries(r.documented)) if (value !== undefined) headers.set(name, value);
        const auth = await authorization(r.auth);
        if (auth !== undefined) headers.set("authorization", auth);
        const body = bodyBytes(r.body, valid.body);
        if (body && r.contentType !== undefined) headers.set("content-type", r.contentType);

        if (writes) await settle(org);
        const before = writes ? await orgSnapshot(org) : undefined;
        const res = await sendRequest(new Request(`https://automation.test${parts.join("/")}${query}`, { method, headers, body }));
        const seen = `${method} ${parts.join("/").slice(0, 200)}${query.slice(0, 200)} answered ${res.status}: ${res.text.slice(0, 500)}`;

        if (!(res.status >= 200 && res.status < 300) && !(res.status >= 400 && res.status < 500)) expect.fail(seen);
        if (r.params.every((s) => s === null)) expect(declared, seen).toContain(res.status);
        if (res.status >= 400) {
          expect(res.headers.get("content-type"), seen).toMatch(/^application\/json/);
          const parsed = errorBody.safeParse(res.json);
          expect(parsed.error?.issues, seen).toBeUndefined();
          expect(ERROR_STATUS[parsed.data!.error.code], seen).toBe(res.status);
          if (before) expect(await orgSnapshot(org), seen).toEqual(before);
        }
      }),
      { numRuns: NUM_RUNS, ...(REPLAY ?? {}) },
    );
  },
  120_000,
);
