import { describe, expect, it } from "vitest";
import { checkWebhookUrl, MAX_WEBHOOK_URL_LENGTH } from "../../src/delivery/url-policy";

// Each row: the URL, the outcome in production (allowPrivate=false) and where
// ALLOW_PRIVATE_WEBHOOK_URLS="true" (allowPrivate=true). An outcome is "ok" or a fragment of
// the refusal reason, so a URL refused for the wrong reason fails too.
const OK = "ok";
const PRIVATE = "only public hosts are accepted";

const table: [url: string, production: string, development: string][] = [
  // Public hosts: accepted everywhere, http and https alike.
  ["https://example.com/hook", OK, OK],
  ["http://example.com/hook", OK, OK],
  ["https://hooks.clinic.example.org:8443/a/b?x=1#frag", OK, OK],
  ["https://EXAMPLE.com./hook", OK, OK],
  ["https://xn--bcher-kva.example/", OK, OK],
  ["https://bücher.example/", OK, OK],
  ["https://8.8.8.8/", OK, OK],
  ["https://1.1.1.1:443/", OK, OK],
  ["http://134744072/", OK, OK], // 8.8.8.8 in decimal
  ["https://[2606:4700:4700::1111]/", OK, OK],
  ["https://[::ffff:8.8.8.8]/", OK, OK],
  ["https://[64:ff9b::8.8.8.8]/", OK, OK],
  ["https://172.32.0.1/", OK, OK], // just outside 172.16.0.0/12
  ["https://100.128.0.1/", OK, OK], // just outside 100.64.0.0/10
  ["https://169.255.0.1/", OK, OK], // just outside 169.254.0.0/16
  ["https://metadata.example.com/", OK, OK],
  ["https://localhost.example.com/", OK, OK],

  // Schemes, userinfo, length, syntax: refused always.
  ["ftp://example.com/", 'not "ftp"', 'not "ftp"'],
  ["file:///etc/passwd", 'not "file"', 'not "file"'],
  ["javascript:alert(1)", 'not "javascript"', 'not "javascript"'],
  ["gopher://example.com/", 'not "gopher"', 'not "gopher"'],
  ["ws://example.com/", 'not "ws"', 'not "ws"'],
  ["data:text/plain,hi", 'not "data"', 'not "data"'],
  ["https://user:pass@example.com/", "user name or password", "user name or password"],
  ["https://user@example.com/", "user name or password", "user name or password"],
  ["https://:secret@example.com/", "user name or password", "user name or password"],
  ["example.com/hook", "not a valid absolute URL", "not a valid absolute URL"],
  ["", "not a valid absolute URL", "not a valid absolute URL"],
  ["https://", "not a valid absolute URL", "not a valid absolute URL"],
  ["http://1.2.3.4.5/", "not a valid absolute URL", "not a valid absolute URL"],
  ["http://256.0.0.1/", "not a valid absolute URL", "not a valid absolute URL"],
  ["http://[fe80::1%25eth0]/", "not a valid absolute URL", "not a valid absolute URL"],
  ["https://a..b.example/", "not a valid host name", "not a valid host name"],

  // Link-local, metadata, unspecified, multicast, broadcast, reserved: refused always.
  ["http://169.254.169.254/latest/meta-data/", "cloud metadata", "cloud metadata"],
  ["http://2852039166/", "cloud metadata", "cloud metadata"], // 169.254.169.254 in decimal
  ["http://0xa9.0xfe.0xa9.0xfe/", "cloud metadata", "cloud metadata"],
  ["http://[::ffff:169.254.169.254]/", "cloud metadata", "cloud metadata"],
  ["http://[fd00:ec2::254]/", "cloud metadata", "cloud metadata"],
  ["http://metadata.google.internal/computeMetadata/v1/", "cloud metadata", "cloud metadata"],
  ["http://METADATA.GOOGLE.INTERNAL./", "cloud metadata", "cloud metadata"],
  ["http://metadata/", "cloud metadata", "cloud metadata"],
  ["http://100.100.100.200/", "cloud metadata", "cloud metadata"],
  ["http://169.254.1.1/", "link-local", "link-local"],
  ["http://[fe80::1]/", "link-local", "link-local"],
  ["http://[febf:ffff::1]/", "link-local", "link-local"],
  ["http://0.0.0.0/", "unspecified", "unspecified"],
  ["http://0/", "unspecified", "unspecified"],
  ["http://[::]/", "unspecified", "unspecified"],
  ["http://0.1.2.3/", "reserved", "reserved"],
  ["http://224.0.0.1/", "multicast", "multicast"],
  ["http://239.255.255.250/", "multicast", "multicast"],
  ["http://[ff02::1]/", "multicast", "multicast"],
  ["http://255.255.255.255/", "broadcast", "broadcast"],
  ["http://240.0.0.1/", "reserved", "reserved"],
  ["http://192.0.2.10/", "documentation", "documentation"],
  ["http://198.18.0.1/", "benchmarking", "benchmarking"],
  ["http://[2001:db8::1]/", "documentation", "documentation"],
  ["http://[2001::1]/", "reserved", "reserved"], // Teredo
  ["http://[100::1]/", "reserved", "reserved"],
  ["http://[4000::1]/", "reserved IPv6", "reserved IPv6"],

  // Loopback and private: refused in production, accepted where private hosts are allowed.
  ["http://127.0.0.1:8787/hook", PRIVATE, OK],
  ["http://127.1/", PRIVATE, OK],
  ["http://2130706433/", PRIVATE, OK],
  ["http://0177.0.0.1/", PRIVATE, OK],
  ["http://0x7f.0.0.1/", PRIVATE, OK],
  ["http://0x7f000001/", PRIVATE, OK],
  ["http://127.0.0.1./", PRIVATE, OK],
  ["http://localhost:8787/", PRIVATE, OK],
  ["http://LOCALHOST./", PRIVATE, OK],
  ["http://api.localhost/", PRIVATE, OK],
  ["http://[::1]/", PRIVATE, OK],
  ["http://[0:0:0:0:0:0:0:1]/", PRIVATE, OK],
  ["http://[::ffff:127.0.0.1]/", PRIVATE, OK],
  ["http://[::ffff:7f00:1]/", PRIVATE, OK],
  ["http://[::127.0.0.1]/", PRIVATE, OK],
  ["http://[::ffff:0:10.0.0.1]/", PRIVATE, OK],
  ["http://[64:ff9b::10.0.0.1]/", PRIVATE, OK],
  ["http://[64:ff9b::c0a8:101]/", PRIVATE, OK],
  ["http://[2002:7f00:1::]/", PRIVATE, OK], // 6to4 of 127.0.0.1
  ["http://10.0.0.1/", PRIVATE, OK],
  ["http://10.255.255.255/", PRIVATE, OK],
  ["http://172.16.0.1/", PRIVATE, OK],
  ["http://172.31.255.254/", PRIVATE, OK],
  ["http://192.168.1.10/", PRIVATE, OK],
  ["http://100.64.0.1/", PRIVATE, OK],
  ["http://[fc00::1]/", PRIVATE, OK],
  ["http://[fd12:3456:789a::1]/", PRIVATE, OK],
  ["http://[fec0::1]/", PRIVATE, OK],
  ["http://intranet/hook", PRIVATE, OK],
  ["http://intranet./hook", PRIVATE, OK],
  ["http://printer.local/", PRIVATE, OK],
  ["http://db.internal/", PRIVATE, OK],
  ["http://router.home.arpa/", PRIVATE, OK],
];

const cases = table.flatMap(([url, production, development]) => [
  { url, allowPrivate: false, expected: production },
  { url, allowPrivate: true, expected: development },
]);

describe("checkWebhookUrl", () => {
  it("has a table of at least 60 distinct URLs", () => {
    expect(new Set(table.map(([url]) => url)).size).toBe(table.length);
    expect(table.length).toBeGreaterThanOrEqual(60);
  });

  it.each(cases)("$url (allowPrivate=$allowPrivate) → $expected", ({ url, allowPrivate, expected }) => {
    const result = checkWebhookUrl(url, { allowPrivate });
    if (expected === OK) {
      expect(result).toMatchObject({ ok: true });
    } else {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toContain(expected);
    }
  });

  it("returns the normalised URL, whatever spelling was given", () => {
    const result = checkWebhookUrl("http://0x7f.1:8787/hook?a=1", { allowPrivate: true });
    expect(result.ok && result.url.href).toBe("http://127.0.0.1:8787/hook?a=1");
  });

  it("refuses URLs over 2 KiB and accepts one of exactly 2048 characters", () => {
    const base = "https://example.com/";
    const exact = `${base}${"a".repeat(MAX_WEBHOOK_URL_LENGTH - base.length)}`;
    expect(exact.length).toBe(2048);
    expect(checkWebhookUrl(exact, { allowPrivate: false }).ok).toBe(true);
    expect(checkWebhookUrl(`${exact}a`, { allowPrivate: false })).toEqual({
      ok: false,
      reason: "The webhook URL is longer than 2048 characters.",
    });
  });

  it("gives reasons as whole sentences naming the host", () => {
    expect(checkWebhookUrl("http://[::ffff:7f00:1]/", { allowPrivate: false })).toEqual({
      ok: false,
      reason:
        'The webhook URL host "[::ffff:7f00:1]" is a loopback address written as IPv6 ' +
        "(IPv4-mapped IPv6 form of 127.0.0.1); only public hosts are accepted on this server.",
    });
    expect(checkWebhookUrl("http://169.254.10.1/", { allowPrivate: true })).toEqual({
      ok: false,
      reason: 'The webhook URL host "169.254.10.1" is a link-local address (169.254.0.0/16), which is never allowed.',
    });
  });
});
