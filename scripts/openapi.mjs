// Prints the API's OpenAPI document (the one GET /api/v1/openapi.json serves), built from the
// app's route declarations without starting a Worker: vite loads src/app.ts (TypeScript,
// extensionless imports) in Node. Used by `npm run lint:openapi`.
//   node scripts/openapi.mjs [out.json]     (stdout without an argument)
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { createServer } from "vite";

const out = process.argv[2];

const vite = await createServer({ server: { middlewareMode: true, hmr: false, ws: false }, appType: "custom", logLevel: "error", configFile: false });
try {
  const { createApp } = await vite.ssrLoadModule("/src/app.ts");
  const env = {
    JWT_SECRET: "x".repeat(32),
    SECRET_ENCRYPTION_KEY: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
    DB: { withSession: () => ({ getBookmark: () => null }) },
  };
  const res = await createApp().request("/api/v1/openapi.json", {}, env);
  if (res.status !== 200) throw new Error(`GET /api/v1/openapi.json answered ${res.status}: ${await res.text()}`);
  const text = `${JSON.stringify(await res.json(), null, 2)}\n`;
  if (out) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
  } else {
    process.stdout.write(text);
  }
} finally {
  await vite.close();
}
