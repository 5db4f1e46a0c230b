import { cloudflareTest, type D1Migration, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { outboundService } from "./test/support/outbound";

// Tests run inside workerd with the bindings of wrangler.toml. Secrets come from here, not
// from .dev.vars, so a clean clone (no .dev.vars) tests the same way as a dev machine.
export const TEST_JWT_SECRET = "test-jwt-secret-0123456789abcdef0123456789abcdef";
const TEST_SECRET_ENCRYPTION_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

// The plugin asks wrangler for the bindings once per test file, and wrangler logs each time
// where it found the secrets ("Using secrets defined in .dev.vars", 37 times), or, in a clean
// clone, warns 37 times that JWT_SECRET and SECRET_ENCRYPTION_KEY are missing. The tests use
// the values below, never .dev.vars: give wrangler the same ones through process.env (it reads
// them when there is no .dev.vars) and keep its info lines quiet. Its warnings still show.
// This file runs in Node; the project's types are the Workers' (no @types/node).
declare const process: { env: Record<string, string | undefined> };
process.env.WRANGLER_LOG ??= "warn";
process.env.JWT_SECRET ??= TEST_JWT_SECRET;
process.env.SECRET_ENCRYPTION_KEY ??= TEST_SECRET_ENCRYPTION_KEY;

// The tests inside workerd. Most share one runtime and one storage across files (`isolate:
// false`): every test works in an org of its own, as tenants share production, and a fresh
// runtime per file cost about 1 s of each file's time (about 3 of the suite's 6 minutes on the
// 2-core machine). The files below keep a runtime and storage of their own per file: they run
// the cron sweeps, which act on every org's rows (the 500 most overdue deliveries, the oldest
// events), so other files' rows would crowd theirs out; or they load rows by the million
// (stats), which would slow every other file's reads that scan a table. A new test of either
// kind goes here.
const OWN_STORAGE_TESTS = [
  "test/cron/sweep.test.ts",
  "test/delivery/delivery-claim.test.ts",
  "test/delivery/queue.test.ts",
  "test/events/publish.test.ts",
  "test/routing/endpoint-pace.test.ts",
  "test/routing/stats.test.ts",
  "test/templates/email.test.ts",
  "test/templates/triggers.test.ts",
];

/** A project of tests inside workerd with the bindings of wrangler.toml; `migrations`: read once for all. */
const workersProject = (name: string, migrations: D1Migration[], files: { include: string[]; exclude?: string[]; isolate: boolean }) => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          ENVIRONMENT: "test",
          JWT_SECRET: TEST_JWT_SECRET,
          SECRET_ENCRYPTION_KEY: TEST_SECRET_ENCRYPTION_KEY,
          ALLOW_PRIVATE_WEBHOOK_URLS: "false",
          CORS_ORIGINS: "https://app.purplecross.example",
          TEST_MIGRATIONS: migrations,
        },
        outboundService,
        // A small window so the 429 path is testable; tests use a fresh org each.
        ratelimits: { RATE_LIMITER: { namespace_id: "1001", simple: { limit: 100, period: 60 } } },
      },
    }),
  ],
  test: { name, setupFiles: ["./test/setup.ts"], ...files },
});

// Three projects: "workers" and "workers-own-storage" (API, delivery, workflows; inside workerd) and
// "browser" (the dashboard in Chromium against the Worker as `npm run dev` runs it; see e2e/).
export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
    test: {
      projects: [
        workersProject("workers", migrations, { include: ["test/**/*.test.ts"], exclude: OWN_STORAGE_TESTS, isolate: false }),
        workersProject("workers-own-storage", migrations, { include: OWN_STORAGE_TESTS, isolate: true }),
        {
          test: {
            name: "browser",
            environment: "node",
            include: ["e2e/**/*.test.ts"],
            globalSetup: ["./e2e/support/global-setup.ts"],
            // One dev server and one Chromium for the whole suite: files run one after another.
            fileParallelism: false,
            // Room for several 30 s page waits (e2e/support/harness.ts) on a busy machine; hooks
            // open pages and sign in too, so a slow wait ends with the page's own error.
            testTimeout: 90_000,
            hookTimeout: 90_000,
          },
        },
      ],
    },
  };
});
