// Config is parsed once with zod: documented defaults when unset, and a bad value is an error
// naming the variable (over HTTP: 500 bad_environment and a log line), never a silent default.
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { ConfigError, configOf, parseConfig } from "../../src/lib/config";

const REQUIRED = {
  JWT_SECRET: "x".repeat(32),
  SECRET_ENCRYPTION_KEY: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
};

const problemWith = (vars: Record<string, unknown>) => {
  try {
    parseConfig({ ...REQUIRED, ...vars });
  } catch (error) {
    if (error instanceof ConfigError) return error.variable;
    throw error;
  }
  return undefined;
};

describe("parseConfig", () => {
  it("takes the README's defaults for unset vars", () => {
    expect(parseConfig(REQUIRED)).toMatchObject({
      environment: "production",
      development: false,
      jwt: { secret: REQUIRED.JWT_SECRET, issuer: undefined, audience: undefined },
      allowPrivateWebhookUrls: false,
      corsOrigins: [],
      webhookTimeoutMs: 10_000,
      webhookMaxAttempts: 5,
      webhookRetryBaseSeconds: 5,
      webhookSecretGraceSeconds: 86_400,
      webhookDisableAfterFailures: 20,
      eventRetentionDays: 30,
    });
  });

  it("reads every var when set", () => {
    const config = parseConfig({
      ...REQUIRED,
      ENVIRONMENT: "development",
      JWT_ISSUER: "https://issuer.example",
      JWT_AUDIENCE: "automation",
      CORS_ORIGINS: "https://a.example, http://localhost:8787",
      ALLOW_PRIVATE_WEBHOOK_URLS: "true",
      WEBHOOK_TIMEOUT_MS: "2500",
      WEBHOOK_MAX_ATTEMPTS: "3",
      WEBHOOK_RETRY_BASE_SECONDS: "2",
      WEBHOOK_SECRET_GRACE_SECONDS: "60",
      WEBHOOK_DISABLE_AFTER_FAILURES: "7",
      EVENT_RETENTION_DAYS: "9",
    });
    expect(config).toMatchObject({
      development: true,
      jwt: { issuer: "https://issuer.example", audience: "automation" },
      corsOrigins: ["https://a.example", "http://localhost:8787"],
      allowPrivateWebhookUrls: true,
      webhookTimeoutMs: 2500,
      webhookMaxAttempts: 3,
      webhookRetryBaseSeconds: 2,
      webhookSecretGraceSeconds: 60,
      webhookDisableAfterFailures: 7,
      eventRetentionDays: 9,
    });
  });

  it("treats an empty JWT_ISSUER / JWT_AUDIENCE as unset, as wrangler.toml writes them", () => {
    expect(parseConfig({ ...REQUIRED, JWT_ISSUER: "", JWT_AUDIENCE: "" }).jwt).toEqual({ secret: REQUIRED.JWT_SECRET });
  });

  it.each<[string, Record<string, unknown>]>([
    ["ENVIRONMENT", { ENVIRONMENT: "prod" }],
    ["JWT_SECRET", { JWT_SECRET: undefined }],
    ["JWT_SECRET", { JWT_SECRET: "short" }],
    ["SECRET_ENCRYPTION_KEY", { SECRET_ENCRYPTION_KEY: undefined }],
    ["SECRET_ENCRYPTION_KEY", { SECRET_ENCRYPTION_KEY: "AAEC" }],
    ["SECRET_ENCRYPTION_KEY", { SECRET_ENCRYPTION_KEY: "not base64!" }],
    ["CORS_ORIGINS", { CORS_ORIGINS: "https://a.example/path" }],
    ["CORS_ORIGINS", { CORS_ORIGINS: "*" }],
    ["ALLOW_PRIVATE_WEBHOOK_URLS", { ALLOW_PRIVATE_WEBHOOK_URLS: "yes" }],
    ["WEBHOOK_TIMEOUT_MS", { WEBHOOK_TIMEOUT_MS: "abc" }],
    ["WEBHOOK_TIMEOUT_MS", { WEBHOOK_TIMEOUT_MS: "" }],
    ["WEBHOOK_MAX_ATTEMPTS", { WEBHOOK_MAX_ATTEMPTS: "0" }],
    ["WEBHOOK_RETRY_BASE_SECONDS", { WEBHOOK_RETRY_BASE_SECONDS: "-5" }],
    ["WEBHOOK_SECRET_GRACE_SECONDS", { WEBHOOK_SECRET_GRACE_SECONDS: "1.5" }],
    ["WEBHOOK_DISABLE_AFTER_FAILURES", { WEBHOOK_DISABLE_AFTER_FAILURES: "many" }],
    ["EVENT_RETENTION_DAYS", { EVENT_RETENTION_DAYS: "30d" }],
  ])("refuses a bad %s", (variable, vars) => {
    expect(problemWith(vars)).toBe(variable);
  });

  it("parses each env object once", () => {
    expect(configOf(env)).toBe(configOf(env));
  });
});

describe("a bad environment over HTTP", () => {
  it("answers 500 bad_environment naming the variable, and logs it", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await createApp().request("/health", {}, { ...env, WEBHOOK_MAX_ATTEMPTS: "five" });
    const logged = error.mock.calls.map((c) => String(c[0]));
    error.mockRestore();
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("bad_environment");
    expect(body.error.message).toContain("WEBHOOK_MAX_ATTEMPTS");
    expect(logged.some((line) => line.includes("bad environment") && line.includes("WEBHOOK_MAX_ATTEMPTS"))).toBe(true);
  });
});
