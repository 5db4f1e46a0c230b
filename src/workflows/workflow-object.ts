// One Durable Object per workflow (idFromName(workflowId)); every change to that workflow runs
// here, one at a time.
//
// Why an explicit queue: a DO's input gate closes only while the object runs JavaScript; each
// awaited D1 call opens it, so without the queue a second advance could read the row while
// the first one's batch is still in flight. Each call therefore chains onto the previous one
// and starts only when it has settled. Nothing is cached in memory: D1 is the source of
// truth and is read inside the critical section, so an eviction loses nothing, and the
// version guard in the batch refuses a change computed from a stale read even if two
// instances of this object ever overlapped.
import { DurableObject } from "cloudflare:workers";
import { createDb, type Db } from "../db/client";
import { type CommandContext, type CommandResult, runCommand, type WorkflowCommand } from "./commands";

export class WorkflowObject extends DurableObject<Env> {
  // #private, not TypeScript `private`: only real private fields are unreachable over RPC.
  #tail: Promise<unknown> = Promise.resolve();
  // This entry point's one db handle.
  readonly #db: Db = createDb(this.env.DB);

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task, task);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Apply one change; resolves to a result union (errors do not keep their class over RPC). */
  async change(context: CommandContext, command: WorkflowCommand): Promise<CommandResult> {
    // A caller that routed to the wrong object would defeat serialisation: refuse loudly.
    const name = this.ctx.id.name;
    if (name !== undefined && name !== context.workflowId) {
      throw new Error(`WorkflowObject ${name} was sent a change for ${context.workflowId}`);
    }
    // The enqueue runs inside the critical section too, so one workflow's events are enqueued in
    // the order they happened; a failed send is still swept by cron.
    return this.#exclusive(() => runCommand(this.#db, this.env.DELIVERY_QUEUE, context, command, new Date()));
  }
}
