// Deliveries the consumer signs are accepted by the libraries integrators use: the `svix`
// package's Webhook.verify (docs/WEBHOOK_SYSTEM.md says svix's libraries verify us) and
// `npm run receiver`, which uses the `standardwebhooks` package. Tampering is caught by both.
import { Webhook as SvixWebhook } from "svix";
import { describe, expect, it } from "vitest";
import { checkDelivery } from "../../scripts/receiver-check.mjs";
import { generateWebhookSecret } from "../../src/crypto/secrets";
import { runBatch, type SeedWebhookOptions, seedDelivery, stubFetch } from "../support";

/** One real attempt by the consumer (signed with the runtime's clock), as the receiver got it. */
async function signedDelivery(options: SeedWebhookOptions = {}) {
  const seed = await seedDelivery(options);
  const { fetch, calls } = stubFetch(() => new Response(null, { status: 204 }));
  await runBatch([seed.message], fetch, { now: () => new Date() });
  expect(calls).toHaveLength(1);
  const headers = Object.fromEntries(calls[0]!.headers);
  return { seed, headers, body: calls[0]!.body };
}

describe("svix Webhook.verify", () => {
  it("accepts our signature and refuses a changed body or another secret", async () => {
    const { seed, headers, body } = await signedDelivery();
    expect(() => new SvixWebhook(seed.secret).verify(body, headers)).not.toThrow();
    expect(() => new SvixWebhook(seed.secret).verify(body.replace("Rex", "Max"), headers)).toThrow();
    expect(() => new SvixWebhook(generateWebhookSecret()).verify(body, headers)).toThrow();
  });

  it("accepts either secret during a rotation grace (two v1 tokens)", async () => {
    const previous = generateWebhookSecret();
    const { seed, headers, body } = await signedDelivery({ previous: { secret: previous, expiresAt: new Date(Date.now() + 3_600_000) } });
    expect(headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(() => new SvixWebhook(seed.secret).verify(body, headers)).not.toThrow();
    expect(() => new SvixWebhook(previous).verify(body, headers)).not.toThrow();
  });
});

describe("npm run receiver (standardwebhooks)", () => {
  it("answers 204 for a delivery we signed and returns the event", async () => {
    const { seed, headers, body } = await signedDelivery();
    expect(checkDelivery(seed.secret, headers, body)).toEqual({
      verified: true,
      status: 204,
      event: { id: seed.eventId, type: "patient.created", timestamp: seed.eventCreatedAt.toISOString(), data: { patientId: "pat_1", name: "Rex" } },
    });
  });

  it("answers 400 for a tampered body or a wrong secret, 200 unchecked without a secret", async () => {
    const { seed, headers, body } = await signedDelivery();
    expect(checkDelivery(seed.secret, headers, `${body} `)).toMatchObject({ verified: false, status: 400 });
    expect(checkDelivery(generateWebhookSecret(), headers, body)).toMatchObject({ verified: false, status: 400 });
    expect(checkDelivery(undefined, headers, body)).toEqual({ verified: null, status: 200 });
  });
});
