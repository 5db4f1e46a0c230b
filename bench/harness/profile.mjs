// --profile: a CPU profile of the Worker (through wrangler dev's inspector port) while the
// selected figures run; prints where self time went, grouped by package, then the top
// functions, and saves the .cpuprofile for DevTools.
import { writeFileSync } from "node:fs";

export async function startProfile(inspectorPort) {
  const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json();
  const target = targets.find((t) => t.webSocketDebuggerUrl) ?? targets[0];
  // wrangler's inspector proxy refuses a connection without an Origin header.
  const ws = new WebSocket(target.webSocketDebuggerUrl, { headers: { origin: `http://127.0.0.1:${inspectorPort}` } });
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  let id = 0;
  const pending = new Map();
  ws.onmessage = (event) => {
    const message = JSON.parse(event.data);
    pending.get(message.id)?.(message.result);
  };
  const send = (method, params = {}) =>
    new Promise((resolve) => {
      pending.set(++id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 200 });
  await send("Profiler.start");
  return async function stop(file) {
    const { profile } = await send("Profiler.stop");
    const sources = await bundleSources(send, profile);
    ws.close();
    // Each frame named by its source file, in the saved profile too.
    for (const node of profile.nodes) {
      const source = sources.get(node.callFrame.scriptId)?.[node.callFrame.lineNumber];
      if (source) node.callFrame.url = source;
    }
    writeFileSync(file, JSON.stringify(profile));
    return summarise(profile);
  };
}

/**
 * For each bundle script in the profile, a line → source file lookup, read from the comments
 * esbuild writes above each module of an unminified bundle (`// node_modules/hono/dist/…`,
 * `// src/app.ts`), so time in the one worker.js is told apart by package and file.
 */
async function bundleSources(send, profile) {
  await send("Debugger.enable");
  const lookups = new Map();
  for (const node of profile.nodes) {
    const { scriptId, url } = node.callFrame;
    if (!url.endsWith("worker.js") || lookups.has(scriptId)) continue;
    const { scriptSource = "" } = (await send("Debugger.getScriptSource", { scriptId })) ?? {};
    let current = "";
    const fileOfLine = scriptSource.split("\n").map((line) => {
      const m = /^\/\/ ((?:node_modules|src|bench)\/\S+)$/.exec(line);
      if (m) current = m[1];
      return current;
    });
    lookups.set(scriptId, fileOfLine);
  }
  await send("Debugger.disable");
  return lookups;
}

function summarise(profile) {
  const samplesOf = new Map(); // node id → samples
  // Samples are counted, not weighted by their time deltas: on a busy machine the sampler runs
  // late, and a 15 ms gap would be charged to whichever frame happened to be sampled next.
  for (const sample of profile.samples) samplesOf.set(sample, (samplesOf.get(sample) ?? 0) + 1);
  const byPackage = new Map();
  const byFunction = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const samples = samplesOf.get(node.id) ?? 0;
    total += samples;
    const { functionName, lineNumber, url } = node.callFrame;
    const pkg =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
      (url ? (/(^|\/)src\//.test(url) ? "src" : url.split("/").slice(-2).join("/")) : `(${functionName || "native"})`);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + samples);
    const key = `${functionName || "(anonymous)"} ${url.split("/").slice(-2).join("/")}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + samples);
  }
  const top = (map, n) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, samples]) => `${((100 * samples) / total).toFixed(1).padStart(5)} %  ${k}`);
  return ["self time by package:", ...top(byPackage, 15), "", "self time by function:", ...top(byFunction, 30)].join("\n");
}
