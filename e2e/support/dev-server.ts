// Starts the Worker exactly as a newcomer does (`npm run dev`), on a free port with its own
// state folder and inspector port, and stops its whole process group afterwards.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

async function freePort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("no free port");
  return address.port;
}

async function waitForHealth(url: string, child: { exitCode: number | null }, log: () => string) {
  // Wrangler's first start on a busy 2-core machine can take a while; give up only after 2 minutes.
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`npm run dev exited with ${child.exitCode}:\n${log()}`);
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`npm run dev did not answer /health within 2 minutes:\n${log()}`);
}

export async function startDevServer() {
  const [port, inspector] = [await freePort(), await freePort()];
  const state = mkdtempSync(join(tmpdir(), "pca-e2e-"));
  let output = "";
  // vitest.config.ts puts the workerd tests' secrets into process.env; the dev server must run
  // on .dev.vars alone, as a newcomer's does.
  const { JWT_SECRET, SECRET_ENCRYPTION_KEY, ...env } = process.env;
  const child = spawn("npm", ["run", "dev", "--", "--inspector-port", String(inspector)], {
    env: { ...env, PORT: String(port), PERSIST_TO: state, NO_COLOR: "1" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
    rmSync(state, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, child, () => output);
  } catch (error) {
    stop();
    throw error;
  }
  return { url, stop };
}
