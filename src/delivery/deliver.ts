// One delivery attempt: one POST with no redirects followed, a deadline that covers the headers
// AND the body, at most 1 KiB of the answer read. The outcome is classified here; what to do
// about it (retry, give up, disable) is the consumer's business.
import packageJson from "../../package.json";
import { classifyResponse, type OutcomeKind } from "./policy";

export const USER_AGENT = `PurpleCross-Webhooks/${packageJson.version}`;
export const SNIPPET_MAX_BYTES = 1024;

export type FetchLike = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

export interface AttemptRequest {
  url: string;
  body: string;
  eventId: string;
  timestamp: number;
  signature: string;
  /** The webhook's own headers; they cannot replace the signature or content headers. */
  headers: Record<string, string>;
}

export interface AttemptOutcome {
  kind: OutcomeKind;
  statusCode: number | null;
  error: string | null;
  responseSnippet: string | null;
  durationMs: number;
  /** Seconds a 429/503 asked us to wait. */
  retryAfterSeconds?: number;
}

export function requestHeaders(req: AttemptRequest): Headers {
  const headers = new Headers(req.headers);
  headers.set("content-type", "application/json");
  headers.set("user-agent", USER_AGENT);
  headers.set("webhook-id", req.eventId);
  headers.set("webhook-timestamp", String(req.timestamp));
  headers.set("webhook-signature", req.signature);
  return headers;
}

class DeadlineExceeded extends Error {}

/** Rejects when the signal fires, so a stalled body read ends at the same deadline as the fetch. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(new DeadlineExceeded());
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
}

/** Reads at most SNIPPET_MAX_BYTES, then cancels the stream so a huge answer costs nothing more. */
async function readSnippet(res: Response, deadline: Promise<never>): Promise<string | null> {
  if (!res.body) return null;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < SNIPPET_MAX_BYTES) {
      const { done, value } = await Promise.race([reader.read(), deadline]);
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(Math.min(size, SNIPPET_MAX_BYTES));
  let offset = 0;
  for (const chunk of chunks) {
    const take = chunk.subarray(0, bytes.length - offset);
    bytes.set(take, offset);
    offset += take.byteLength;
    if (offset >= bytes.length) break;
  }
  // stream: true holds back a multi-byte character cut at the limit instead of mangling it.
  let text = new TextDecoder().decode(bytes, { stream: true });
  while (new TextEncoder().encode(text).byteLength > SNIPPET_MAX_BYTES) text = text.slice(0, -1);
  return text;
}

/** Sends one attempt. Never throws: every failure becomes an outcome the attempt log can show. */
export async function deliverOnce(fetchFn: FetchLike, req: AttemptRequest, options: { timeoutMs: number; now: () => Date }): Promise<AttemptOutcome> {
  const started = options.now().getTime();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  const deadline = untilAborted(controller.signal);
  deadline.catch(() => {}); // observed via Promise.race; keeps an unraced rejection quiet
  const elapsed = () => Math.max(0, options.now().getTime() - started);
  let statusCode: number | null = null;
  try {
    const res = await Promise.race([
      fetchFn(req.url, { method: "POST", headers: requestHeaders(req), body: req.body, redirect: "manual", signal: controller.signal }),
      deadline,
    ]);
    statusCode = res.status;
    const verdict = classifyResponse(res.status, res.headers, options.now());
    const responseSnippet = await readSnippet(res, deadline);
    return { ...verdict, statusCode: res.status, responseSnippet, durationMs: elapsed() };
  } catch (error) {
    const timedOut = error instanceof DeadlineExceeded || controller.signal.aborted;
    const cause = String((error as Error)?.message ?? error).slice(0, 300);
    // Before the headers: nothing reached a server that answered (refused, reset, TLS). After
    // them: the receiver answered and then the connection broke mid-body.
    const message = timedOut
      ? `timeout after ${options.timeoutMs} ms${statusCode === null ? "" : " reading the response body"}`
      : statusCode === null
        ? `connection error before any response: ${cause}`
        : `connection lost reading the response body after HTTP ${statusCode}: ${cause}`;
    // A 2xx whose body did not finish in time is not a success: the deadline covers the whole answer.
    return { kind: "retryable", statusCode, error: message, responseSnippet: null, durationMs: elapsed() };
  } finally {
    clearTimeout(timer);
  }
}
