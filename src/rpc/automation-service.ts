// RPC for other Purple Cross Workers, through a service binding:
//   env.AUTOMATION.publish("clinic-42", { type: "patient.created", data: { patientId: "p1" } }, "key-1")
// The same publishEvent as POST /api/v1/events, so validation, idempotency and fan-out agree.
// A service binding is trusted like a `service` token, but the org is still checked, since it
// becomes every row's tenant key.
import { WorkerEntrypoint } from "cloudflare:workers";
import { ORG_PATTERN } from "../auth/jwt";
import { createDb } from "../db/client";
import { ApiError, validationError } from "../errors";
import { publishEvent } from "../events/publish";
import { unsafeJsonValues } from "../lib/json-safety";
import { idempotencyKeySchema } from "../schemas/events";

export interface PublishedEvent {
  id: string;
  type: string;
  createdAt: string;
  /** True when an earlier call with the same idempotency key answered this. */
  replayed: boolean;
}

export class AutomationService extends WorkerEntrypoint<Env> {
  // This entry point's one db handle.
  readonly #db = createDb(this.env.DB);

  async publish(org: string, event: { type: string; data: unknown }, idempotencyKey?: string): Promise<PublishedEvent> {
    try {
      if (typeof org !== "string" || !ORG_PATTERN.test(org)) throw validationError("org must match [A-Za-z0-9_-]{1,64}");
      if (!event || typeof event !== "object") throw validationError("event must be an object {type, data}");
      if (idempotencyKey !== undefined && !idempotencyKeySchema.safeParse(idempotencyKey).success) {
        throw validationError("idempotencyKey must be 1..255 printable ASCII characters");
      }
      const result = await publishEvent(this.#db, this.env.DELIVERY_QUEUE, org, { type: event.type, data: asJson(event.data) }, idempotencyKey);
      return { ...result.event, replayed: result.replayed };
    } catch (error) {
      // Custom error classes lose their fields over RPC; the code travels in the message.
      if (error instanceof ApiError) throw new Error(`${error.code}: ${error.message}`);
      throw error;
    }
  }
}

/**
 * RPC arguments arrive structured-cloned, not as JSON: `data` gets the checks POST /events gives
 * its parsed body (lib/json-safety.ts: no NaN or unsafe numbers, no nesting past 64, …), then
 * becomes what JSON would carry (a Date its ISO string), so both ways in store the same event.
 */
function asJson(data: unknown): unknown {
  const problems = unsafeJsonValues(data).map((p) => ({ ...p, path: p.path ? `data.${p.path}` : "data" }));
  if (problems.length > 0) throw validationError("event data holds values that JSON cannot carry safely", problems);
  try {
    const text = JSON.stringify(data);
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    // A BigInt, or an object whose toJSON throws.
    throw validationError("event data must be JSON values");
  }
}
