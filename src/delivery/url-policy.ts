// Which webhook URLs we are willing to POST to. Pure: no I/O. (What a host name resolves to is
// checked separately, through DNS over HTTPS, in host-resolution.ts.)
//
// Decisions:
// - Both http:// and https:// are accepted, also in production. The issue says "http(s) only";
//   the contract's "`url` is https://" describes what production webhooks look like, and
//   refusing plain http would break receivers behind TLS-terminating proxies without stopping
//   any attack (the payload is signed either way). The SSRF protection is the host check below.
// - Here we refuse literal addresses and names that are private by construction (localhost,
//   single-label, .local, .internal, metadata names). Public-looking names that resolve to a
//   private address (127.0.0.1.nip.io) are refused by host-resolution.ts, which uses
//   checkResolvedAddress below on every A/AAAA record. The checks run again before every
//   attempt, so a URL stored while ALLOW_PRIVATE_WEBHOOK_URLS was on stops being delivered
//   once it is off.
// - Address forms are normalised first. WHATWG `new URL()` already turns every IPv4 spelling of
//   http(s) hosts (decimal 2130706433, octal 0177.0.0.1, hex 0x7f.1, short 127.1, trailing dot)
//   into dotted decimal, and IPv6 into compressed hex; IPv4 embedded in IPv6 (mapped ::ffff:,
//   compatible ::, NAT64 64:ff9b::/96, 6to4 2002::/16) is unwrapped here and checked as IPv4.

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** "always": refused whatever the setting. "private": refused unless allowPrivate. */
type Verdict = { refuse: "always" | "private"; what: string } | null;

const always = (what: string): Verdict => ({ refuse: "always", what });
const privateHost = (what: string): Verdict => ({ refuse: "private", what });

export function checkWebhookUrl(raw: string, options: { allowPrivate: boolean }): UrlCheck {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) {
    return refuse(`The webhook URL is longer than ${MAX_WEBHOOK_URL_LENGTH} characters.`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse("The webhook URL is not a valid absolute URL.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return refuse(`The webhook URL must use http or https, not "${url.protocol.slice(0, -1)}".`);
  }
  if (url.username !== "" || url.password !== "") {
    return refuse("The webhook URL must not contain a user name or password.");
  }

  const host = url.hostname;
  const verdict = host.startsWith("[") ? classifyIPv6(host.slice(1, -1)) : classifyHost(host);
  if (verdict === "invalid") return refuse(`The webhook URL host "${host}" is not a valid host name.`);
  if (verdict?.refuse === "always") {
    return refuse(`The webhook URL host "${host}" is ${verdict.what}, which is never allowed.`);
  }
  if (verdict?.refuse === "private" && !options.allowPrivate) {
    return refuse(`The webhook URL host "${host}" is ${verdict.what}; only public hosts are accepted on this server.`);
  }
  return { ok: true, url };
}

const refuse = (reason: string): UrlCheck => ({ ok: false, reason });

/**
 * What is wrong with one address a host name resolved to ("10.0.0.7", "fd00::1"), or null when
 * it is public. Every non-public range counts here, "private" ones included: the caller only
 * resolves names when private URLs are not allowed.
 */
export function checkResolvedAddress(address: string): string | null {
  const verdict = address.includes(":") ? classifyIPv6(address) : IPV4.test(address) ? classifyHost(address) : "invalid";
  if (verdict === "invalid") return "not an IP address";
  return verdict?.what ?? null;
}

// ---------------------------------------------------------------------------------------------
// Host names and IPv4

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

// Names of cloud instance-metadata services (they answer on link-local or CGNAT addresses).
const METADATA_NAMES = new Set([
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "instance-data",
  "instance-data.ec2.internal",
  "metadata.azure.internal",
  "metadata.tencentyun.com",
]);

// Suffixes that never name a public host (RFC 6761, RFC 6762, RFC 8375, common LAN names).
const PRIVATE_SUFFIXES = [".local", ".localdomain", ".internal", ".home.arpa", ".lan"];

function classifyHost(hostname: string): Verdict | "invalid" {
  const v4 = IPV4.exec(hostname);
  if (v4) return classifyIPv4(v4.slice(1).reduce((n, octet) => n * 256 + Number(octet), 0));

  // "example.com." is the same host as "example.com"; an empty label elsewhere is not a name.
  const name = hostname.replace(/\.+$/, "");
  if (name === "" || name.split(".").includes("")) return "invalid";
  if (METADATA_NAMES.has(name)) return always("a cloud metadata service");
  if (name === "localhost" || name.endsWith(".localhost")) return privateHost("a loopback name");
  if (!name.includes(".")) return privateHost("a single-label (intranet) name");
  if (PRIVATE_SUFFIXES.some((suffix) => name.endsWith(suffix))) {
    return privateHost("a local-network name");
  }
  return null;
}

type Range = [base: string, prefix: number, verdict: Verdict];

// First match wins, so exact addresses come before the ranges that contain them.
const IPV4_RANGES: Range[] = [
  ["169.254.169.254", 32, always("a cloud metadata address")],
  ["100.100.100.200", 32, always("a cloud metadata address")], // Alibaba Cloud
  ["192.0.0.192", 32, always("a cloud metadata address")], // Oracle Cloud
  ["0.0.0.0", 32, always("the unspecified address")],
  ["255.255.255.255", 32, always("the broadcast address")],
  ["0.0.0.0", 8, always("a reserved address (0.0.0.0/8)")],
  ["169.254.0.0", 16, always("a link-local address (169.254.0.0/16)")],
  ["224.0.0.0", 4, always("a multicast address")],
  ["240.0.0.0", 4, always("a reserved address (240.0.0.0/4)")],
  ["192.0.0.0", 24, always("a reserved address (192.0.0.0/24)")],
  ["192.0.2.0", 24, always("a documentation address (192.0.2.0/24)")],
  ["198.51.100.0", 24, always("a documentation address (198.51.100.0/24)")],
  ["203.0.113.0", 24, always("a documentation address (203.0.113.0/24)")],
  ["198.18.0.0", 15, always("a benchmarking address (198.18.0.0/15)")],
  ["192.88.99.0", 24, always("a reserved address (192.88.99.0/24)")],
  ["127.0.0.0", 8, privateHost("a loopback address")],
  ["10.0.0.0", 8, privateHost("a private address (10.0.0.0/8)")],
  ["172.16.0.0", 12, privateHost("a private address (172.16.0.0/12)")],
  ["192.168.0.0", 16, privateHost("a private address (192.168.0.0/16)")],
  ["100.64.0.0", 10, privateHost("a carrier-grade NAT address (100.64.0.0/10)")],
];

const IPV4_TABLE = IPV4_RANGES.map(([base, prefix, verdict]) => {
  const [a, b, c, d] = base.split(".").map(Number) as [number, number, number, number];
  return { base: BigInt(((a * 256 + b) * 256 + c) * 256 + d), prefix, verdict };
});

function classifyIPv4(address: number): Verdict {
  const value = BigInt(address);
  return IPV4_TABLE.find((r) => inRange(value, r.base, r.prefix, 32))?.verdict ?? null;
}

// ---------------------------------------------------------------------------------------------
// IPv6 (as one 128-bit BigInt)

const IPV6_RANGES: Range[] = [
  ["fd00:ec2::254", 128, always("a cloud metadata address")], // AWS IMDS over IPv6
  ["::", 128, always("the unspecified address")],
  ["::1", 128, privateHost("a loopback address")],
  ["fe80::", 10, always("a link-local address (fe80::/10)")],
  ["ff00::", 8, always("a multicast address")],
  ["100::", 64, always("a reserved address (100::/64)")],
  ["2001:db8::", 32, always("a documentation address (2001:db8::/32)")],
  ["2001::", 23, always("a reserved address (2001::/23)")], // includes Teredo 2001::/32
  ["fc00::", 7, privateHost("a unique local address (fc00::/7)")],
  ["fec0::", 10, privateHost("a site-local address (fec0::/10)")],
  ["64:ff9b:1::", 48, privateHost("a local-use NAT64 address (64:ff9b:1::/48)")],
];

const IPV6_TABLE = IPV6_RANGES.map(([base, prefix, verdict]) => ({
  base: parseIPv6(base)!,
  prefix,
  verdict,
}));

// Prefixes whose addresses carry an IPv4 address; `shift` is where its 32 bits end.
const EMBEDDED_IPV4 = [
  { base: parseIPv6("::ffff:0:0")!, prefix: 96, shift: 0n, form: "IPv4-mapped" },
  { base: parseIPv6("::ffff:0:0:0")!, prefix: 96, shift: 0n, form: "IPv4-translated" },
  { base: parseIPv6("::")!, prefix: 96, shift: 0n, form: "IPv4-compatible" },
  { base: parseIPv6("64:ff9b::")!, prefix: 96, shift: 0n, form: "NAT64" },
  { base: parseIPv6("2002::")!, prefix: 16, shift: 80n, form: "6to4" },
];

const GLOBAL_UNICAST = { base: parseIPv6("2000::")!, prefix: 3 };

function classifyIPv6(literal: string): Verdict | "invalid" {
  const value = parseIPv6(literal);
  if (value === null) return "invalid";
  const exact = IPV6_TABLE.find((r) => r.prefix === 128 && r.base === value);
  if (exact) return exact.verdict;

  for (const e of EMBEDDED_IPV4) {
    if (!inRange(value, e.base, e.prefix, 128)) continue;
    const v4 = Number((value >> e.shift) & 0xffffffffn);
    const verdict = classifyIPv4(v4);
    if (verdict === null) return null;
    const form = `${e.form} IPv6 form of ${formatIPv4(v4)}`;
    return { ...verdict, what: `${verdict.what} written as IPv6 (${form})` };
  }

  const range = IPV6_TABLE.find((r) => inRange(value, r.base, r.prefix, 128));
  if (range) return range.verdict;
  // Everything outside 2000::/3 is unassigned or special-purpose: nothing a webhook lives on.
  if (!inRange(value, GLOBAL_UNICAST.base, GLOBAL_UNICAST.prefix, 128)) {
    return always("a reserved IPv6 address");
  }
  return null;
}

/** Parses an IPv6 literal (no brackets, no zone) into a 128-bit BigInt; null when malformed. */
function parseIPv6(literal: string): bigint | null {
  let text = literal.toLowerCase();
  // A dotted IPv4 tail ("::ffff:1.2.3.4") becomes two hex groups. WHATWG never emits this
  // form, but the function also parses the table above and must not depend on that.
  const tail = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(2).map(Number) as [number, number, number, number];
    if ([a, b, c, d].some((n) => n > 255)) return null;
    text = `${tail[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const split = (s: string) => (s === "" ? [] : s.split(":"));
  const head = split(halves[0]!);
  const rest = halves.length === 2 ? split(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(group)) return null;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

function inRange(value: bigint, base: bigint, prefix: number, bits: number): boolean {
  const shift = BigInt(bits - prefix);
  return value >> shift === base >> shift;
}

const formatIPv4 = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
