import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { outboundService } from "./test/support/outbound";

// Tests run inside workerd with the bindings of wrangler.toml. Secrets come from here, not
// from .dev.vars, so a clean clone (no .dev.vars) tests the same way as a dev machine.
export const TEST_JWT_SECRET = "test-jwt-secret-0123456789abcdef0123456789abcdef";

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          ENVIRONMENT: "test",
          JWT_SECRET: TEST_JWT_SECRET,
          SECRET_ENCRYPTION_KEY: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
          ALLOW_PRIVATE_WEBHOOK_URLS: "false",
          CORS_ORIGINS: "https://app.purplecross.example",
          TEST_MIGRATIONS: await readD1Migrations("./migrations"),
        },
        outboundService,
        // A small window so the 429 path is testable; tests use a fresh org each.
        ratelimits: { RATE_LIMITER: { namespace_id: "1001", simple: { limit: 100, period: 60 } } },
      },
    }),
  ],
  test: {
    setupFiles: ["./test/setup.ts"],
    include: ["test/**/*.test.ts"],
  },
}));
