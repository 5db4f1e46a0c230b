import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { decryptSecret } from "../../src/crypto/secrets";
import { client, createWebhook, uniqueOrg, webhookRow } from "../support";

const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;

describe("webhook secrets", () => {
  it("stores only ciphertext bound to org and webhook, and never shows the secret again", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    const log = vi.spyOn(console, "log");
    const error = vi.spyOn(console, "error");
    const hook = await createWebhook(admin);
    const row = await webhookRow(hook.id);
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(hook.secret);
    expect(stored).not.toContain(hook.secret.slice("whsec_".length));
    expect(row?.previousSecretEnc).toBeNull();
    expect(await decryptSecret(env.SECRET_ENCRYPTION_KEY, row!.secretEnc, `${org}:${hook.id}`)).toBe(hook.secret);
    // The associated data binds the ciphertext: copied to another org or webhook it is useless.
    await expect(decryptSecret(env.SECRET_ENCRYPTION_KEY, row!.secretEnc, `other:${hook.id}`)).rejects.toThrow();

    const get = await admin.get(`/api/v1/webhooks/${hook.id}`);
    const list = await admin.get("/api/v1/webhooks");
    const put = await admin.put(`/api/v1/webhooks/${hook.id}`, { description: "x" });
    for (const res of [get, list, put]) {
      expect(res.text).not.toContain(hook.secret);
      expect(res.text).not.toContain("secret");
    }
    const logged = JSON.stringify([...log.mock.calls, ...error.mock.calls]);
    expect(logged).not.toContain(hook.secret);
    log.mockRestore();
    error.mockRestore();
  });

  it("regenerate answers 200 with a new secret; the old one keeps signing for the grace period", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    const hook = await createWebhook(admin);
    const before = await webhookRow(hook.id);

    const started = Date.now();
    const res = await admin.post(`/api/v1/webhooks/${hook.id}/regenerate-secret`);
    expect(res.status).toBe(200);
    expect(res.json.id).toBe(hook.id);
    expect(res.json.secret).toMatch(SECRET);
    expect(res.json.secret).not.toBe(hook.secret);

    const row = (await webhookRow(hook.id))!;
    expect(row.previousSecretEnc).toBe(before!.secretEnc);
    const aad = `${org}:${hook.id}`;
    expect(await decryptSecret(env.SECRET_ENCRYPTION_KEY, row.secretEnc, aad)).toBe(res.json.secret);
    expect(await decryptSecret(env.SECRET_ENCRYPTION_KEY, row.previousSecretEnc!, aad)).toBe(hook.secret);
    const grace = row.previousSecretExpiresAt!.getTime() - started;
    expect(grace).toBeGreaterThanOrEqual(86_400_000 - 1000);
    expect(grace).toBeLessThanOrEqual(86_400_000 + 5000);
    expect(JSON.stringify(row)).not.toContain(res.json.secret);

    // The secret shown now is not shown by any read either.
    expect((await admin.get(`/api/v1/webhooks/${hook.id}`)).text).not.toContain(res.json.secret);
  });

  it("404s for another org's webhook and changes nothing", async () => {
    const hook = await createWebhook(await client(uniqueOrg(), "admin"));
    const before = await webhookRow(hook.id);
    const res = await (await client(uniqueOrg(), "admin")).post(`/api/v1/webhooks/${hook.id}/regenerate-secret`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain("whsec_");
    expect(await webhookRow(hook.id)).toEqual(before);
  });

  it.each(["viewer", "staff", "service"] as const)("regenerate is forbidden to %s (403)", async (role) => {
    const org = uniqueOrg();
    const hook = await createWebhook(await client(org, "admin"));
    const before = await webhookRow(hook.id);
    expect((await (await client(org, role)).post(`/api/v1/webhooks/${hook.id}/regenerate-secret`)).status).toBe(403);
    expect(await webhookRow(hook.id)).toEqual(before);
  });
});
