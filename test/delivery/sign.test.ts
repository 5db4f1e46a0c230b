import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { eventBody, secretKeyBytes, signToken, signatureHeader, unixSeconds } from "../../src/delivery/sign";

// The example of the Standard Webhooks spec and svix's docs.
const SPEC = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};
const SECRET_A = `whsec_${btoa(String.fromCharCode(...new Uint8Array(32).fill(7)))}`;
const SECRET_B = `whsec_${btoa(String.fromCharCode(...new Uint8Array(32).fill(9)))}`;

describe("signToken", () => {
  it("matches the Standard Webhooks spec vector", async () => {
    expect(await signToken(SPEC.secret, SPEC.id, SPEC.timestamp, SPEC.body)).toBe(SPEC.signature);
  });

  it("matches a fixed vector for a 32-byte whsec_ secret", async () => {
    expect(await signToken(SECRET_A, "evt_1", 1700000000, '{"id":"evt_1"}')).toBe("v1,ZmCweDgSc9CSXUwxmBRChIFW/yCfWYDapo4vYzE8ce0=");
  });

  it("keys the HMAC with the base64-decoded part, not the text of the secret", async () => {
    expect(secretKeyBytes(SECRET_A)).toEqual(new Uint8Array(32).fill(7));
    expect(() => secretKeyBytes("whsec_***")).toThrow(/base64/);
  });

  it("changes with each signed part", async () => {
    const base = await signToken(SECRET_A, "evt_1", 1700000000, "{}");
    expect(await signToken(SECRET_A, "evt_2", 1700000000, "{}")).not.toBe(base);
    expect(await signToken(SECRET_A, "evt_1", 1700000001, "{}")).not.toBe(base);
    expect(await signToken(SECRET_A, "evt_1", 1700000000, "{ }")).not.toBe(base);
    expect(await signToken(SECRET_B, "evt_1", 1700000000, "{}")).not.toBe(base);
  });
});

describe("signatureHeader", () => {
  const body = eventBody({ id: "evt_abc", type: "patient.created", createdAt: new Date("2026-01-02T03:04:05.000Z"), data: { patientId: "p1" } });

  it("is accepted by the standardwebhooks verifier", async () => {
    const ts = unixSeconds(new Date());
    const headers = {
      "webhook-id": "evt_abc",
      "webhook-timestamp": String(ts),
      "webhook-signature": await signatureHeader([SECRET_A], "evt_abc", ts, body),
    };
    expect(new Webhook(SECRET_A).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(SECRET_B).verify(body, headers)).toThrow();
    expect(() => new Webhook(SECRET_A).verify(body.replace("p1", "p2"), headers)).toThrow();
  });

  it("during rotation carries one space-separated token per secret, each verifying with its own", async () => {
    const ts = unixSeconds(new Date());
    const signature = await signatureHeader([SECRET_B, SECRET_A], "evt_abc", ts, body);
    const tokens = signature.split(" ");
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).toBe(await signToken(SECRET_B, "evt_abc", ts, body));
    expect(tokens[1]).toBe(await signToken(SECRET_A, "evt_abc", ts, body));
    const headers = { "webhook-id": "evt_abc", "webhook-timestamp": String(ts), "webhook-signature": signature };
    expect(new Webhook(SECRET_A).verify(body, headers)).toBeTruthy();
    expect(new Webhook(SECRET_B).verify(body, headers)).toBeTruthy();
  });

  it("refuses to sign with no secret", async () => {
    await expect(signatureHeader([], "evt_1", 1, "{}")).rejects.toThrow();
  });
});

describe("eventBody", () => {
  it("is the contract's shape, with the event's own creation time", () => {
    const body = eventBody({ id: "evt_1", type: "webhook.test", createdAt: new Date(Date.UTC(2026, 0, 1)), data: { a: 1 } });
    expect(body).toBe('{"id":"evt_1","type":"webhook.test","timestamp":"2026-01-01T00:00:00.000Z","data":{"a":1}}');
  });
});
