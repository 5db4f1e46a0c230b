// bench/results.json (one entry per figure) and bench/results.md (machine, date, versions,
// the table), and the same table on stdout.
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";

const show = (v) => (v === null || v === undefined ? "" : String(v));

export function table(results) {
  const lines = ["| figure | value | floor | ratio | target | pass |", "| --- | --- | --- | --- | --- | --- |"];
  for (const r of results) {
    lines.push(
      `| ${r.id} ${r.label} | ${show(r.value)} ${r.unit} | ${show(r.floor)} | ${show(r.ratio)} | ${r.target} | ${r.pass ? "pass" : "FAIL"} |`,
    );
  }
  return lines.join("\n");
}

function versions() {
  const version = (pkg) => JSON.parse(readFileSync(`node_modules/${pkg}/package.json`, "utf8")).version;
  return `node ${process.version}, wrangler ${version("wrangler")}, workerd ${version("workerd")}, autocannon ${version("autocannon")}`;
}

export function writeReport(results, { mode, startedAt, loadAtStart, notes, settings }) {
  writeFileSync("bench/results.json", `${JSON.stringify(results, null, 2)}\n`);
  const cpu = cpus();
  const md = [
    "# Benchmark results",
    "",
    `- date: ${startedAt.toISOString()} (${mode})`,
    `- machine: ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, load average ${loadAtStart.map((l) => l.toFixed(1)).join(" ")} at start, ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} at end`,
    `- versions: ${versions()}`,
    `- floor runtime settings (copied from wrangler.toml): compatibility_date ${settings.compatibility_date}, flags ${settings.compatibility_flags.join(" ")}, queue consumer ${JSON.stringify(settings.consumer)}, observability ${JSON.stringify(settings.observability)}, assets ${JSON.stringify(settings.assets)}`,
    "",
    table(results),
    "",
    "Ratio = median over interleaved rounds of (product ÷ floor) measured back to back, so a change in the",
    "machine's load during the run affects both sides of each round alike.",
    "",
    ...results.map((r) => `- ${r.id}: ${r.detail}`),
    ...notes.map((n) => `- ${n}`),
    "",
  ].join("\n");
  writeFileSync("bench/results.md", md);
}
