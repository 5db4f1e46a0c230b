// The queue side of the tests: a recording fetch for the consumer, a one-call wrapper around the
// queue handler, a recording Queue binding, and env with some vars replaced.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { vi } from "vitest";
import { DELIVERY_QUEUE_NAME, handleQueueBatch } from "../../src/delivery/consumer";
import { NOW } from "./seed";

export interface FetchCall {
  url: string;
  init: RequestInit;
  headers: Headers;
  body: string;
}

/** A fetch that records each call and answers with `respond` (which may throw or hang). */
export function stubFetch(respond: (call: FetchCall) => Response | Promise<Response>) {
  const calls: FetchCall[] = [];
  const fetch = async (input: Request | string | URL, init: RequestInit = {}) => {
    const call = { url: String(input), init, headers: new Headers(init.headers), body: String(init.body) };
    calls.push(call);
    return respond(call);
  };
  return { fetch, calls };
}

/** A Queue binding that records what is sent to it (send and sendBatch alike). */
export function recordingQueue() {
  const sent: unknown[] = [];
  const sendBatch = vi.fn(async (messages: { body: unknown }[]) => void sent.push(...messages.map((m) => m.body)));
  const send = vi.fn(async (body: unknown) => void sent.push(body));
  return { queue: { send, sendBatch } as unknown as Queue, sent, send, sendBatch };
}

/** env with some vars or bindings replaced, for timeouts, thresholds and recording queues. */
export const envWith = (vars: Partial<Record<keyof Env, unknown>>) => ({ ...env, ...vars }) as Env;

export interface RunOptions {
  queue?: string;
  env?: Env;
  now?: () => Date;
  /** The jitter's random source; 0.5 (no jitter) unless a test sets it. */
  random?: () => number;
  attempts?: number;
  /** Queue message ids (default m0, m1, …); a message keeps its id across the queue's retries. */
  ids?: string[];
}

/** Runs the queue handler on messages and returns the queue's verdict. */
export async function runBatch(bodies: unknown[], fetch: ReturnType<typeof stubFetch>["fetch"], options: RunOptions = {}) {
  const batch = createMessageBatch(
    options.queue ?? DELIVERY_QUEUE_NAME,
    bodies.map((body, i) => ({ id: options.ids?.[i] ?? `m${i}`, timestamp: NOW, attempts: options.attempts ?? 1, body })),
  );
  const ctx = createExecutionContext();
  // getQueueResult does not report delaySeconds, so the messages are wrapped to record them.
  const delays = new Map<string, number | undefined>();
  const observed = {
    queue: batch.queue,
    messages: batch.messages.map((m) => ({
      id: m.id,
      timestamp: m.timestamp,
      attempts: m.attempts,
      body: m.body,
      ack: () => m.ack(),
      retry: (opts?: QueueRetryOptions) => {
        delays.set(m.id, opts?.delaySeconds);
        m.retry(opts);
      },
    })),
    ackAll: () => batch.ackAll(),
    retryAll: (opts?: QueueRetryOptions) => batch.retryAll(opts),
  } as unknown as MessageBatch<unknown>;
  await handleQueueBatch(observed, options.env ?? env, { fetch, now: options.now ?? (() => NOW), random: options.random ?? (() => 0.5) });
  const result = await getQueueResult(batch, ctx);
  return { ...result, retryMessages: result.retryMessages.map((r) => ({ msgId: r.msgId, delaySeconds: delays.get(r.msgId) })) };
}
