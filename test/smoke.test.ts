import { describe, expect, it } from "vitest";
import { EVENT_TYPES } from "../src/events/catalog";
import { call, client, uniqueOrg } from "./support";

describe("smoke", () => {
  it("health", async () => {
    const res = await call("GET", "/health");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: "ok" });
  });
  it("event types", async () => {
    const c = await client(uniqueOrg(), "viewer");
    const res = await c.get("/api/v1/webhooks/event-types");
    expect(res.status).toBe(200);
    expect(res.json.data.length).toBe(EVENT_TYPES.length);
  });
});
