// One Durable Object per webhook with a `rateLimit` (idFromName(webhookId)): the one place that
// knows the endpoint's pace. The queue consumer asks it before each attempt; it answers "go" or
// "your slot is at T" (rate-window.ts has the rules). A Durable Object runs one call at a time
// and its storage calls keep the input gate closed, so two consumers can never both take the
// last token. The state is a few hundred bytes per busy endpoint and is stored, so an eviction
// forgets no reservation.
import { DurableObject } from "cloudflare:workers";
import { type Admission, admit, emptyPace, type PaceState } from "./rate-window";

const KEY = "pace";

export class EndpointObject extends DurableObject<Env> {
  /** May `deliveryId` start an attempt at `nowMs` under `rate` per second? */
  async admit(rate: number, deliveryId: string, nowMs: number): Promise<Admission> {
    const previous = (await this.ctx.storage.get<PaceState>(KEY)) ?? emptyPace();
    const { state, answer } = admit(previous, rate, deliveryId, nowMs);
    await this.ctx.storage.put(KEY, state);
    return answer;
  }
}
