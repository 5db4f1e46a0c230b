// Builds the dashboard into dist/ui, which wrangler serves as Workers Static Assets ([assets]
// in wrangler.toml). Swagger UI's two files are copied in beside it, so /docs needs no CDN.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const here = dirname(fileURLToPath(import.meta.url));
const swaggerDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const SWAGGER_FILES = ["swagger-ui.css", "swagger-ui-bundle.js"];

function swaggerUiAssets(): Plugin {
  return {
    name: "swagger-ui-assets",
    generateBundle() {
      for (const file of SWAGGER_FILES) {
        this.emitFile({ type: "asset", fileName: `swagger-ui/${file}`, source: readFileSync(join(swaggerDir, file)) });
      }
    },
  };
}

export default defineConfig({
  root: here,
  plugins: [react(), swaggerUiAssets()],
  build: { outDir: join(here, "../dist/ui"), emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
