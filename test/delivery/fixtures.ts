// Rows for delivery tests, written straight into D1 (the routes are another module's), plus a
// recording fetch stub and a one-call wrapper around the queue handler.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { encryptSecret, generateWebhookSecret } from "../../src/crypto/secrets";
import { createDb } from "../../src/db/client";
import { deliveries, deliveryAttempts, webhooks } from "../../src/db/schema";
import { handleQueueBatch } from "../../src/delivery/consumer";
import { newId } from "../../src/lib/ids";
import { uniqueOrg } from "../helpers";

export const db = createDb(env.DB);
export const NOW = new Date("2026-11-28T12:00:00.000Z");

export interface SeedOptions {
  url?: string;
  active?: boolean;
  headers?: Record<string, string>;
  consecutiveFailures?: number;
  /** A previous secret and when its grace ends. */
  previous?: { secret: string; expiresAt: Date };
  attempts?: number;
  scheduleStart?: number;
  nextAttemptAt?: Date | null;
  /** Leave the webhook row out, as after a DELETE. */
  withoutWebhook?: boolean;
}

export async function seedDelivery(options: SeedOptions = {}) {
  const org = uniqueOrg("dlv");
  const webhookId = newId("wh");
  const eventId = newId("evt");
  const deliveryId = newId("msg");
  const secret = generateWebhookSecret();
  const aad = `${org}:${webhookId}`;
  const createdAt = new Date(NOW.getTime() - 60_000);
  if (!options.withoutWebhook) {
    await db.insert(webhooks).values({
      id: webhookId,
      org,
      url: options.url ?? "https://receiver.example.com/hooks",
      active: options.active ?? true,
      headers: options.headers ?? {},
      secretEnc: await encryptSecret(env.SECRET_ENCRYPTION_KEY, secret, aad),
      previousSecretEnc: options.previous ? await encryptSecret(env.SECRET_ENCRYPTION_KEY, options.previous.secret, aad) : null,
      previousSecretExpiresAt: options.previous?.expiresAt ?? null,
      consecutiveFailures: options.consecutiveFailures ?? 0,
      createdAt,
      updatedAt: createdAt,
    });
  }
  await env.DB.prepare("INSERT INTO events (id, org, type, data, created_at) VALUES (?, ?, ?, ?, ?)")
    .bind(eventId, org, "patient.created", JSON.stringify({ patientId: "pat_1", name: "Rex" }), createdAt.getTime())
    .run();
  await db.insert(deliveries).values({
    id: deliveryId,
    org,
    webhookId,
    eventId,
    eventType: "patient.created",
    status: "pending",
    attempts: options.attempts ?? 0,
    scheduleStart: options.scheduleStart ?? 0,
    nextAttemptAt: options.nextAttemptAt === undefined ? createdAt : options.nextAttemptAt,
    createdAt,
    updatedAt: createdAt,
  });
  return { org, webhookId, eventId, deliveryId, secret, eventCreatedAt: createdAt, message: { v: 1 as const, deliveryId, org } };
}

export interface Call {
  url: string;
  init: RequestInit;
  headers: Headers;
  body: string;
}

/** A fetch that records each call and answers with `respond` (which may throw or hang). */
export function stubFetch(respond: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = async (input: Request | string | URL, init: RequestInit = {}) => {
    const call = { url: String(input), init, headers: new Headers(init.headers), body: String(init.body) };
    calls.push(call);
    return respond(call);
  };
  return { fetch, calls };
}

export interface RunOptions {
  queue?: string;
  env?: Env;
  now?: () => Date;
  attempts?: number;
  /** Queue message ids (default m0, m1, …); a message keeps its id across the queue's retries. */
  ids?: string[];
}

/** Runs the queue handler on messages and returns the queue's verdict. */
export async function runBatch(bodies: unknown[], fetch: ReturnType<typeof stubFetch>["fetch"], options: RunOptions = {}) {
  const batch = createMessageBatch(
    options.queue ?? "pca-deliveries",
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
  await handleQueueBatch(observed, options.env ?? env, { fetch, now: options.now ?? (() => NOW) });
  const result = await getQueueResult(batch, ctx);
  return { ...result, retryMessages: result.retryMessages.map((r) => ({ msgId: r.msgId, delaySeconds: delays.get(r.msgId) })) };
}

export async function deliveryRow(id: string) {
  const [row] = await db.select().from(deliveries).where(eq(deliveries.id, id));
  return row!;
}

export async function attemptRows(id: string) {
  return db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, id)).orderBy(deliveryAttempts.attempt);
}

export async function webhookRow(id: string) {
  const [row] = await db.select().from(webhooks).where(eq(webhooks.id, id));
  return row!;
}

/** env with some vars replaced, for timeouts and thresholds. */
export const envWith = (vars: Partial<Record<keyof Env, unknown>>) => ({ ...env, ...vars }) as Env;
