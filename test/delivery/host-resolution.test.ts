// Item 1 of issue 8: names that resolve to private addresses are refused at registration and
// before every attempt, and an unresolvable name is never sent to (fail closed). The resolver is
// the stub in test/support/outbound.ts (<ip>.nip.io, localtest.me, a failing resolver, NXDOMAIN).
import { describe, expect, it } from "vitest";
import { checkHostResolution, DOH_ENDPOINT, type HostResolution, oncePerHost } from "../../src/delivery/host-resolution";
import {
  attemptRows,
  client,
  deliveryRow,
  dnsLookups,
  envWith,
  MISSING_DNS_HOST,
  MIXED_DNS_HOST,
  RESOLVER_DOWN_HOST,
  runBatch,
  seedDelivery,
  stubFetch,
  uniqueOrg,
} from "../support";

describe("checkHostResolution", () => {
  it.each([
    ["127.0.0.1.nip.io", "127.0.0.1, a loopback address"],
    ["169.254.169.254.nip.io", "169.254.169.254, a cloud metadata address"],
    ["10.1.2.3.nip.io", "10.1.2.3, a private address"],
    ["localtest.me", "127.0.0.1, a loopback address"],
    [MIXED_DNS_HOST, "fd00::1, a unique local address"],
  ])("%s is private", async (host, reason) => {
    expect(await checkHostResolution(host)).toEqual({ ok: false, kind: "private", reason: expect.stringContaining(reason) });
  });

  it.each([
    [MISSING_DNS_HOST, "has no A or AAAA record"],
    [RESOLVER_DOWN_HOST, "resolver answered HTTP 502"],
  ])("%s cannot be resolved (unresolved, not ok)", async (host, reason) => {
    expect(await checkHostResolution(host)).toEqual({ ok: false, kind: "unresolved", reason: expect.stringContaining(reason) });
  });

  it("a public name, and address literals (judged by the URL policy), are ok", async () => {
    expect(await checkHostResolution("hooks.example.com")).toEqual({ ok: true });
    expect(await checkHostResolution("8.8.8.8", () => Promise.reject(new Error("no lookup expected")))).toEqual({ ok: true });
    expect(await checkHostResolution("[2606:4700::1]", () => Promise.reject(new Error("no lookup expected")))).toEqual({ ok: true });
  });

  it("asks the DoH JSON API for A and AAAA; a network error or a non-DNS answer fails closed", async () => {
    const asked: string[] = [];
    const answer = await checkHostResolution("hooks.example.com", async (input, init) => {
      asked.push(`${String(input)} ${new Headers(init?.headers).get("accept")}`);
      return Response.json({
        Status: 0,
        Answer: [
          { type: 5, data: "cdn.example.net." },
          { type: 1, data: "8.8.4.4" },
        ],
      });
    });
    expect(answer).toEqual({ ok: true });
    expect(asked.sort()).toEqual([
      `${DOH_ENDPOINT}?name=hooks.example.com&type=A application/dns-json`,
      `${DOH_ENDPOINT}?name=hooks.example.com&type=AAAA application/dns-json`,
    ]);
    expect(await checkHostResolution("a.example.com", () => Promise.reject(new TypeError("network down")))).toMatchObject({ kind: "unresolved" });
    expect(await checkHostResolution("a.example.com", async () => new Response("<html>"))).toMatchObject({ kind: "unresolved" });
    expect(await checkHostResolution("a.example.com", async () => Response.json({ Status: 2 }))).toMatchObject({ kind: "unresolved" });
  });
});

describe("registration", () => {
  it.each(["http://127.0.0.1.nip.io/", "https://169.254.169.254.nip.io/latest", "http://localtest.me:8080/", `https://${MIXED_DNS_HOST}/`])(
    "POST and PUT refuse %s with a 400 on url",
    async (url) => {
      const admin = await client(uniqueOrg(), "admin");
      const created = await admin.post("/api/v1/webhooks", { url, events: ["*"] });
      expect(created.status).toBe(400);
      expect(created.json.error.details).toEqual([{ path: "url", message: expect.stringContaining("only public hosts are accepted") }]);

      const ok = await admin.post("/api/v1/webhooks", { url: "https://hooks.example.com/", events: ["*"] });
      expect(ok.status).toBe(201);
      const moved = await admin.put(`/api/v1/webhooks/${ok.json.id}`, { url });
      expect(moved.status).toBe(400);
      expect((await admin.get(`/api/v1/webhooks/${ok.json.id}`)).json.url).toBe("https://hooks.example.com/");
    },
  );

  it.each([MISSING_DNS_HOST, RESOLVER_DOWN_HOST])("a host that cannot be resolved (%s) is refused: fail closed", async (host) => {
    const admin = await client(uniqueOrg(), "admin");
    const res = await admin.post("/api/v1/webhooks", { url: `https://${host}/`, events: ["*"] });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_error");
  });
});

describe("before each attempt", () => {
  it("a stored URL whose name now resolves privately is refused: nothing sent, delivery failed", async () => {
    const seed = await seedDelivery({ url: "https://10.0.0.7.nip.io/hooks" });
    const { fetch, calls } = stubFetch(() => new Response("ok"));
    const result = await runBatch([seed.message], fetch);
    expect(calls).toHaveLength(0);
    expect(result.explicitAcks).toEqual(["m0"]);
    expect(await deliveryRow(seed.deliveryId)).toMatchObject({ status: "failed", lastError: expect.stringContaining("10.0.0.7, a private address") });
  });

  it("a name the resolver cannot answer for is a retryable failure with nothing sent", async () => {
    const seed = await seedDelivery({ url: `https://${RESOLVER_DOWN_HOST}/hooks` });
    const { fetch, calls } = stubFetch(() => new Response("ok"));
    const result = await runBatch([seed.message], fetch);
    expect(calls).toHaveLength(0);
    expect(result.retryMessages).toEqual([{ msgId: "m0", delaySeconds: expect.any(Number) }]);
    expect(await deliveryRow(seed.deliveryId)).toMatchObject({ status: "pending", attempts: 1 });
    expect((await attemptRows(seed.deliveryId))[0]).toMatchObject({ statusCode: null, error: expect.stringContaining("resolver answered HTTP 502") });
  });

  it("with ALLOW_PRIVATE_WEBHOOK_URLS=true nothing is resolved and the request is sent", async () => {
    const seed = await seedDelivery({ url: `https://${RESOLVER_DOWN_HOST}/hooks` });
    const { fetch, calls } = stubFetch(() => new Response("ok"));
    await runBatch([seed.message], fetch, { env: envWith({ ALLOW_PRIVATE_WEBHOOK_URLS: "true" }) });
    expect(calls).toHaveLength(1);
    expect(await deliveryRow(seed.deliveryId)).toMatchObject({ status: "succeeded" });
  });
});

describe("lookups shared by a batch", () => {
  it("oncePerHost asks once per name, however many ask at once", async () => {
    const asked: string[] = [];
    const check = async (name: string): Promise<HostResolution> => {
      asked.push(name);
      return { ok: true };
    };
    const resolve = oncePerHost(check);
    const answers = await Promise.all(["a.example.com", "a.example.com", "b.example.com", "a.example.com"].map(resolve));
    expect(answers).toEqual(Array(4).fill({ ok: true }));
    expect(asked).toEqual(["a.example.com", "b.example.com"]);
  });

  it("three deliveries to one host name in a batch make one A and one AAAA lookup, and all are sent", async () => {
    const host = `shared-${crypto.randomUUID().slice(0, 8)}.example.com`;
    const seeds = [];
    for (const path of ["a", "b", "c"]) seeds.push(await seedDelivery({ url: `https://${host}/${path}` }));
    const { fetch, calls } = stubFetch(() => new Response("ok"));
    await runBatch(
      seeds.map((s) => s.message),
      fetch,
    );
    expect(calls.map((c) => c.url).sort()).toEqual([`https://${host}/a`, `https://${host}/b`, `https://${host}/c`]);
    expect(await dnsLookups(host)).toBe(2);
    for (const s of seeds) expect(await deliveryRow(s.deliveryId)).toMatchObject({ status: "succeeded" });
  });

  it("a resolver failure is shared too: both deliveries to that host are retried, nothing sent, one A and one AAAA lookup", async () => {
    const seeds = [await seedDelivery({ url: `https://${RESOLVER_DOWN_HOST}/a` }), await seedDelivery({ url: `https://${RESOLVER_DOWN_HOST}/b` })];
    const before = await dnsLookups(RESOLVER_DOWN_HOST);
    const { fetch, calls } = stubFetch(() => new Response("ok"));
    const result = await runBatch(
      seeds.map((s) => s.message),
      fetch,
    );
    expect(calls).toHaveLength(0);
    expect(result.retryMessages.map((m) => m.msgId).sort()).toEqual(["m0", "m1"]);
    expect((await dnsLookups(RESOLVER_DOWN_HOST)) - before).toBe(2);
    for (const s of seeds) expect(await deliveryRow(s.deliveryId)).toMatchObject({ status: "pending", attempts: 1 });
  });
});
