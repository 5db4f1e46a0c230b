// The test runtime's outbound network (miniflare `outboundService`, set in vitest.config.ts).
// Plain web APIs only: vitest.config.ts runs it in Node, tests import the host name.

/** Webhook URLs on this host get their request echoed back (see outboundService). */
export const ECHO_RECEIVER_HOST = "echo.receiver.example.com";
/** This host answers 500 to the first request of each webhook-id, then echoes like the above. */
export const FLAKY_RECEIVER_HOST = "flaky.receiver.example.com";
const failedOnce = new Set<string>();

// The DNS-over-HTTPS resolver (src/delivery/host-resolution.ts) is stubbed here too. Names
// behave like the public services the attacks used: <ip>.nip.io and localtest.me resolve to
// loopback/private addresses; the hosts below fail in the ways a resolver can; every other
// name resolves to one public address.
export const PUBLIC_TEST_ADDRESS = "93.184.215.14";
/** Resolves to a public A record and a unique-local AAAA record. */
export const MIXED_DNS_HOST = "dual-stack.private.example.com";
/** NXDOMAIN. */
export const MISSING_DNS_HOST = "no-such-host.example.com";
/** The resolver answers 502 for it. */
export const RESOLVER_DOWN_HOST = "resolver-down.example.com";

/** Lookups answered per name, read by dnsLookups. */
const lookups = new Map<string, number>();

/** How many DNS lookups (A and AAAA each count) the stub resolver answered for `name`. */
export async function dnsLookups(name: string): Promise<number> {
  const res = await fetch(`https://cloudflare-dns.com/lookups?name=${encodeURIComponent(name)}`);
  return ((await res.json()) as { count: number }).count;
}

function dnsAnswer(url: URL): Response {
  const name = url.searchParams.get("name") ?? "";
  if (url.pathname === "/lookups") return Response.json({ count: lookups.get(name) ?? 0 });
  lookups.set(name, (lookups.get(name) ?? 0) + 1);
  const type = url.searchParams.get("type");
  const records = (a: string[], aaaa: string[] = []) =>
    Response.json({
      Status: 0,
      Answer: (type === "A" ? a : aaaa).map((data) => ({ name, type: type === "A" ? 1 : 28, TTL: 60, data })),
    });
  if (name === RESOLVER_DOWN_HOST) return new Response("bad gateway", { status: 502 });
  if (name === MISSING_DNS_HOST) return Response.json({ Status: 3 });
  if (name === MIXED_DNS_HOST) return records([PUBLIC_TEST_ADDRESS], ["fd00::1"]);
  if (name === "localtest.me" || name.endsWith(".localtest.me")) return records(["127.0.0.1"]);
  const nip = /(?:^|[.-])(\d{1,3}(?:[.-]\d{1,3}){3})\.nip\.io$/.exec(name);
  if (nip) return records([nip[1]!.replaceAll("-", ".")]);
  return records([PUBLIC_TEST_ADDRESS]);
}

/**
 * Every outbound fetch of the Worker under test lands here, never on the network: messages
 * that tests enqueue are delivered by the real queue consumer to this stub. The echo host
 * answers with what it received, so a test can read it back from the attempt log's snippet
 * and verify the signature; the flaky host makes a retry happen; every other host gets 200 "ok".
 */
export async function outboundService(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.hostname === "cloudflare-dns.com") return dnsAnswer(url);
  if (url.hostname === FLAKY_RECEIVER_HOST) {
    const id = request.headers.get("webhook-id") ?? "";
    if (!failedOnce.has(id)) {
      failedOnce.add(id);
      return new Response("try again", { status: 500 });
    }
  } else if (url.hostname !== ECHO_RECEIVER_HOST) {
    return new Response("ok");
  }
  const headers: Record<string, string> = {};
  for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature", "content-type", "user-agent"]) {
    headers[name] = request.headers.get(name) ?? "";
  }
  return Response.json({ method: request.method, headers, body: await request.text() });
}
