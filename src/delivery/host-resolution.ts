// What a webhook's host name resolves to, checked before we register the URL and before every
// attempt: a public-looking name (127.0.0.1.nip.io, localtest.me) whose A or AAAA record is a
// loopback, private, link-local or metadata address is refused like that address itself.
//
// Workers have no DNS API, so names are resolved with Cloudflare's DNS-over-HTTPS JSON API
// through fetch. It fails closed: a name we cannot resolve is never sent to. What remains is a
// rebinding window (docs/ARCHITECTURE.md, "Webhook URLs and DNS"): the runtime resolves the
// name again when it connects, and a hostile DNS server can change its answer in between.
import { z } from "zod";
import type { FetchLike } from "./deliver";
import { checkResolvedAddress } from "./url-policy";

export const DOH_ENDPOINT = "https://cloudflare-dns.com/dns-query";
export const DOH_TIMEOUT_MS = 5_000;

// RFC 1035 / RFC 3596 record type numbers as the JSON API reports them.
const RECORD_TYPES = { A: 1, AAAA: 28 } as const;

const dohAnswerSchema = z.object({
  Status: z.number(),
  Answer: z.array(z.object({ type: z.number(), data: z.string() })).optional(),
});

/** ok, or why not: "private" (refuse for good) or "unresolved" (cannot tell now: do not send). */
export type HostResolution = { ok: true } | { ok: false; kind: "private" | "unresolved"; reason: string };

const IP_LITERAL = /^(\d{1,3}(\.\d{1,3}){3}|\[.*\])$/;

/** Resolves `hostname` (as URL.hostname gives it) and checks every A and AAAA record. */
export async function checkHostResolution(hostname: string, fetchFn: FetchLike = (input, init) => fetch(input, init)): Promise<HostResolution> {
  // An address literal was already judged by the URL policy; there is nothing to resolve.
  if (IP_LITERAL.test(hostname)) return { ok: true };
  const name = hostname.replace(/\.+$/, "");
  let answers: string[][];
  try {
    answers = await Promise.all([lookup(fetchFn, name, "A"), lookup(fetchFn, name, "AAAA")]);
  } catch (error) {
    return { ok: false, kind: "unresolved", reason: `DNS lookup of "${name}" failed: ${String((error as Error)?.message ?? error).slice(0, 200)}` };
  }
  const addresses = answers.flat();
  if (addresses.length === 0) return { ok: false, kind: "unresolved", reason: `"${name}" has no A or AAAA record` };
  for (const address of addresses) {
    const problem = checkResolvedAddress(address);
    if (problem) return { ok: false, kind: "private", reason: `"${name}" resolves to ${address}, ${problem}` };
  }
  return { ok: true };
}

/**
 * checkHostResolution asked at most once per name: one queue batch's attempts to one host
 * share its lookups, so six deliveries to one endpoint make two DNS-over-HTTPS requests, not
 * twelve (each is a subrequest and holds one of the invocation's connections). A batch lasts
 * seconds, far under any record's useful life, and the runtime resolves the name again when it
 * connects either way (the rebinding window above is unchanged). A resolver failure is shared
 * too: every attempt to that host in the batch is retried with nothing sent.
 */
export function oncePerHost(check: (hostname: string) => Promise<HostResolution> = checkHostResolution) {
  const answers = new Map<string, Promise<HostResolution>>();
  return (hostname: string): Promise<HostResolution> => {
    let answer = answers.get(hostname);
    if (!answer) {
      answer = check(hostname);
      answers.set(hostname, answer);
    }
    return answer;
  };
}

class LookupFailed extends Error {}

/** The addresses of one record type; NXDOMAIN is an empty answer, any other failure throws. */
async function lookup(fetchFn: FetchLike, name: string, type: keyof typeof RECORD_TYPES): Promise<string[]> {
  const url = `${DOH_ENDPOINT}?name=${encodeURIComponent(name)}&type=${type}`;
  const res = await fetchFn(url, { headers: { accept: "application/dns-json" }, signal: AbortSignal.timeout(DOH_TIMEOUT_MS) });
  if (!res.ok) throw new LookupFailed(`resolver answered HTTP ${res.status}`);
  const parsed = dohAnswerSchema.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new LookupFailed("resolver answer is not DNS JSON");
  const { Status, Answer = [] } = parsed.data;
  // 0 NOERROR, 3 NXDOMAIN; anything else (SERVFAIL, REFUSED) says nothing about the name.
  if (Status === 3) return [];
  if (Status !== 0) throw new LookupFailed(`resolver status ${Status}`);
  // CNAME records in the chain are skipped: only the addresses it ends at are connected to.
  return Answer.filter((record) => record.type === RECORD_TYPES[type]).map((record) => record.data);
}
