// One Durable Object per workflow (idFromName(workflowId)); every change to that workflow runs
// here, one at a time. Filled in by the workflows issue.
import { DurableObject } from "cloudflare:workers";

export class WorkflowObject extends DurableObject<Env> {}
