// Every route × every role: an allowed role gets the route's success status, any other role a
// 403 that changes nothing in the org. The matrix must list every route the app serves.
import { describe, expect, it } from "vitest";
import { ACCESS_MATRIX, ROLES, seedAccessFixture } from "../support/access-matrix";
import { appRouteKeys } from "../support/routes";
import { call, client, orgSnapshot, uniqueOrg } from "../support";

describe("the access matrix", () => {
  it("lists exactly the routes the app serves", () => {
    expect(Object.keys(ACCESS_MATRIX).sort()).toEqual(appRouteKeys());
  });

  it("would notice a route missing from it", () => {
    const keys = appRouteKeys();
    expect(keys.length).toBeGreaterThanOrEqual(24);
    const { "GET /api/v1/events": _dropped, ...shorter } = ACCESS_MATRIX;
    expect(Object.keys(shorter).sort()).not.toEqual(keys);
  });
});

describe.each(Object.entries(ACCESS_MATRIX))("%s", (_route, access) => {
  it.each(ROLES)("as %s", async (role) => {
    const org = uniqueOrg("acl");
    const fixture = await seedAccessFixture(org);
    const as = await client(org, role);
    if (access.roles.includes(role)) {
      const res = await access.ask(as, fixture);
      expect(res.status, res.text).toBe(access.ok);
    } else {
      const before = await orgSnapshot(org);
      const res = await access.ask(as, fixture);
      expect(res.status, res.text).toBe(403);
      expect(res.json.error.code).toBe("forbidden");
      expect(await orgSnapshot(org)).toEqual(before);
    }
  });

  it(access.public ? "without a token: as with one" : "without a token: 401", async () => {
    const org = uniqueOrg("acl");
    const fixture = await seedAccessFixture(org);
    const anonymous = await client(org, "viewer");
    const res = await access.ask({ ...anonymous, ...withoutToken() }, fixture);
    expect(res.status).toBe(access.public ? access.ok : 401);
  });
});

/** Client methods that send no Authorization header. */
function withoutToken() {
  return {
    get: (path: string) => call("GET", path),
    post: (path: string, body?: unknown) => call("POST", path, { body }),
    put: (path: string, body?: unknown) => call("PUT", path, { body }),
    delete: (path: string) => call("DELETE", path),
  };
}
