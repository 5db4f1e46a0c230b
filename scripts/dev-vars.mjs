// Reads .dev.vars (created from .dev.vars.example when missing), as `npm run dev` and
// `npm run token` both need the same values.
import { copyFileSync, existsSync, readFileSync } from "node:fs";

export function ensureDevVars() {
  if (!existsSync(".dev.vars")) {
    copyFileSync(".dev.vars.example", ".dev.vars");
    console.error("Created .dev.vars from .dev.vars.example");
  }
}

export function readDevVars() {
  ensureDevVars();
  const vars = {};
  for (const line of readFileSync(".dev.vars", "utf8").split("\n")) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) vars[match[1]] = match[2].replace(/^"(.*)"$/, "$1");
  }
  return vars;
}
