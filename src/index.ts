// Entry manifest: HTTP, queue and cron handlers, the workflow Durable Object and the RPC
// entrypoint other Purple Cross Workers call through a service binding.
import { createApp } from "./app";
import { handleScheduled } from "./cron/sweep";
import { handleQueueBatch } from "./delivery/consumer";

const app = createApp();

export default {
  fetch: app.fetch,
  // The real fetch, clock and randomness; tests call handleQueueBatch with stubs instead.
  queue: (batch, env) => handleQueueBatch(batch, env, { fetch: (input, init) => fetch(input, init), now: () => new Date(), random: Math.random }),
  scheduled: (controller, env) => handleScheduled(controller, env),
} satisfies ExportedHandler<Env>;

export { EndpointObject } from "./webhooks/endpoint-object";
export { WorkflowObject } from "./workflows/workflow-object";
export { AutomationService } from "./rpc/automation-service";
