// Typed view of the [vars] in wrangler.toml: numbers parsed once, with the contract's defaults
// when a var is unset or not a positive number.
export interface Config {
  development: boolean;
  allowPrivateWebhookUrls: boolean;
  corsOrigins: string[];
  webhookTimeoutMs: number;
  webhookMaxAttempts: number;
  webhookRetryBaseSeconds: number;
  webhookSecretGraceSeconds: number;
  webhookDisableAfterFailures: number;
  eventRetentionDays: number;
  /** From address of workflow `email` actions. */
  emailFrom: string;
}

const positive = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

export function readConfig(env: Env): Config {
  return {
    development: env.ENVIRONMENT === "development",
    allowPrivateWebhookUrls: env.ALLOW_PRIVATE_WEBHOOK_URLS === "true",
    corsOrigins: (env.CORS_ORIGINS ?? "")
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean),
    webhookTimeoutMs: positive(env.WEBHOOK_TIMEOUT_MS, 10_000),
    webhookMaxAttempts: positive(env.WEBHOOK_MAX_ATTEMPTS, 5),
    webhookRetryBaseSeconds: positive(env.WEBHOOK_RETRY_BASE_SECONDS, 5),
    webhookSecretGraceSeconds: positive(env.WEBHOOK_SECRET_GRACE_SECONDS, 86_400),
    webhookDisableAfterFailures: positive(env.WEBHOOK_DISABLE_AFTER_FAILURES, 20),
    eventRetentionDays: positive(env.EVENT_RETENTION_DAYS, 30),
    emailFrom: env.EMAIL_FROM || "workflows@purplecross.example",
  };
}
