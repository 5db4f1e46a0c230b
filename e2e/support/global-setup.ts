// Once per browser run: Chromium present, a local webhook receiver, and the Worker under
// `npm run dev`. Tests reach them through inject("baseUrl") and inject("receiverUrl").
import type { TestProject } from "vitest/node";
import { ensureChromium } from "./chromium";
import { startDevServer } from "./dev-server";
import { startReceiver } from "./receiver";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    receiverUrl: string;
  }
}

export default async function setup(project: TestProject) {
  ensureChromium();
  const receiver = await startReceiver();
  const server = await startDevServer();
  project.provide("baseUrl", server.url);
  project.provide("receiverUrl", receiver.url);
  return async () => {
    server.stop();
    await receiver.close();
  };
}
