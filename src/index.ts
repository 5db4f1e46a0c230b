// Entry manifest: HTTP, queue and cron handlers, the workflow Durable Object and the RPC
// entrypoint other Purple Cross Workers call through a service binding.
import { createApp } from "./app";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;

export { WorkflowObject } from "./workflows/workflow-object";
export { AutomationService } from "./rpc/automation-service";
