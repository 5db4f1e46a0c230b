import { applyD1Migrations, env } from "cloudflare:test";

// Applies migrations/ to the test D1 before each file (idempotent: applied ones are skipped).
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
