// Every var and secret of README's Configuration table, parsed once per env object with zod.
// A bad value is an error naming the variable, never a silent fallback to a default; a var
// left unset takes the documented default (wrangler.toml sets them all in production).
import { z } from "zod";
import { base64ToBytes } from "./base64";
import type { JwtSettings } from "../auth/jwt";

const flag = z.enum(["true", "false"], 'must be "true" or "false"').transform((v) => v === "true");
const positiveInt = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, "must be a positive integer")
  .transform(Number);
// "" is how wrangler.toml writes "unset" for the optional JWT claims.
const optionalText = z
  .string()
  .optional()
  .transform((v) => v || undefined);
const origins = z
  .string()
  .transform((v) =>
    v
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean),
  )
  .refine((list) => list.every(isOrigin), "must be a comma-separated list of origins like https://app.example.com");
const aesKey = z.string().refine(isAes256Key, "must be base64 of 32 bytes");

const envSchema = z.object({
  ENVIRONMENT: z.enum(["production", "staging", "development", "test"]).default("production"),
  JWT_SECRET: z.string("is required").min(32, "must be at least 32 characters"),
  JWT_ISSUER: optionalText,
  JWT_AUDIENCE: optionalText,
  SECRET_ENCRYPTION_KEY: aesKey,
  CORS_ORIGINS: origins.default([]),
  ALLOW_PRIVATE_WEBHOOK_URLS: flag.default(false),
  WEBHOOK_TIMEOUT_MS: positiveInt.default(10_000),
  WEBHOOK_MAX_ATTEMPTS: positiveInt.default(5),
  WEBHOOK_RETRY_BASE_SECONDS: positiveInt.default(5),
  WEBHOOK_SECRET_GRACE_SECONDS: positiveInt.default(86_400),
  WEBHOOK_DISABLE_AFTER_FAILURES: positiveInt.default(20),
  EVENT_RETENTION_DAYS: positiveInt.default(30),
  EMAIL_FROM: z
    .string()
    .regex(/^[^\s@]+@[^\s@]+$/, "must be an email address")
    .default("workflows@purplecross.example"),
});

export interface Config {
  environment: "production" | "staging" | "development" | "test";
  development: boolean;
  jwt: JwtSettings;
  secretEncryptionKey: string;
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

/** A var or secret with a value the Worker cannot run with. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable} ${problem}`);
    this.name = "ConfigError";
  }
}

export function parseConfig(env: Record<string, unknown>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0]), issue.message);
  }
  const v = parsed.data;
  return {
    environment: v.ENVIRONMENT,
    development: v.ENVIRONMENT === "development",
    jwt: { secret: v.JWT_SECRET, issuer: v.JWT_ISSUER, audience: v.JWT_AUDIENCE },
    secretEncryptionKey: v.SECRET_ENCRYPTION_KEY,
    allowPrivateWebhookUrls: v.ALLOW_PRIVATE_WEBHOOK_URLS,
    corsOrigins: v.CORS_ORIGINS,
    webhookTimeoutMs: v.WEBHOOK_TIMEOUT_MS,
    webhookMaxAttempts: v.WEBHOOK_MAX_ATTEMPTS,
    webhookRetryBaseSeconds: v.WEBHOOK_RETRY_BASE_SECONDS,
    webhookSecretGraceSeconds: v.WEBHOOK_SECRET_GRACE_SECONDS,
    webhookDisableAfterFailures: v.WEBHOOK_DISABLE_AFTER_FAILURES,
    eventRetentionDays: v.EVENT_RETENTION_DAYS,
    emailFrom: v.EMAIL_FROM,
  };
}

// One parse per env object: the runtime hands every request of an isolate the same env.
const parsedByEnv = new WeakMap<object, Config>();

/** The config of this env, parsed on first use. Throws ConfigError for a bad value. */
export function configOf(env: Env): Config {
  let config = parsedByEnv.get(env);
  if (!config) {
    config = parseConfig(env as unknown as Record<string, unknown>);
    parsedByEnv.set(env, config);
  }
  return config;
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === value;
  } catch {
    return false;
  }
}

function isAes256Key(value: string): boolean {
  try {
    return base64ToBytes(value).length === 32;
  } catch {
    return false;
  }
}
