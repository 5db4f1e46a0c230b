// P7: the deployable bundle's gzip size, as `wrangler deploy --dry-run` reports it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { wrangler } from "./servers.mjs";

export async function p7(dir) {
  const logFile = join(dir, "bundle.log");
  await wrangler(["deploy", "--dry-run", "--outdir", join(dir, "bundle")], logFile);
  const match = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(readFileSync(logFile, "utf8"));
  if (!match) throw new Error(`no "Total Upload" line from wrangler; see ${logFile}`);
  const gzip = Number(match[2]);
  return {
    id: "P7",
    label: "bundle, gzip",
    unit: "KiB",
    value: gzip,
    floor: null,
    ratio: null,
    target: "<= 250",
    pass: gzip <= 250,
    detail: `${match[1]} KiB before gzip (wrangler deploy --dry-run)`,
  };
}
