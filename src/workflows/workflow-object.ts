// One Durable Object per workflow (idFromName(workflowId)); every change to that workflow runs
// here, one at a time.
//
// Why an explicit queue: a DO's input gate closes only while the object runs JavaScript; each
// awaited D1 call opens it, so without the queue a second advance could read the row while
// the first one's batch is still in flight. Each call therefore chains onto the previous one
// and starts only when it has settled.
//
// A linear workflow's change is one D1 round trip inside that critical section: the object
// keeps the row it last committed (#row), and the webhooks the change's event may go to are
// looked up as the call arrives, before it waits for the object; its deliveries go on the
// queue after it (#afterCommit), as an engine change's do. D1 stays the source of truth:
// an eviction only empties #row (the next change reads D1), and a copy that is stale because
// something wrote the row elsewhere cannot commit: the batch's version guard fails, nothing is
// written, and the change is computed once more from a fresh read. Nor can it wrongly refuse:
// a refusal computed from the copy of an unfinished workflow is checked against a fresh read
// the same way. Immutable template versions are cached too.
//
// Template instances keep their pending timers in this object's SQLite storage (TimerStore);
// the alarm fires the due ones through the engine, which ignores any it no longer lists.
import { DurableObject } from "cloudflare:workers";
import { createDb, type Db } from "../db/client";
import { findTemplateVersion } from "../db/repositories/workflow-templates";
import { findWorkflow } from "../db/repositories/workflows";
import type { WorkflowRow } from "../db/schema";
import { checkDefinition } from "../engine/check";
import type { Definition } from "../engine/definition";
import { ENGINE_ACTOR, type Actor, type Command } from "../engine/state";
import { enqueueDeliveries } from "../delivery/queue";
import { applyCommand, type CommandContext, type CommandResult, type WorkflowCommand } from "./commands";
import { emailKeys, sendEmails } from "./email";
import { type Applied, type BeforeCommit, changeInstance, type EngineResult, type StartRequest, startInstance } from "./instance";
import { TimerStore } from "./timers";
import { EVENTS_OF, isTerminal } from "./transitions";
import { type SubscriberSnapshot, subscribersOf, withSubscribers } from "../webhooks/subscribers";

const ENGINE: Actor = { sub: ENGINE_ACTOR, role: "service" };

export class WorkflowObject extends DurableObject<Env> {
  // #private, not TypeScript `private`: only real private fields are unreachable over RPC.
  #tail: Promise<unknown> = Promise.resolve();
  #definitions = new Map<string, Definition>();
  /** The last committed row of a linear workflow, or undefined: read D1. */
  #row: WorkflowRow | undefined;
  #timers: TimerStore;
  // This entry point's one db handle.
  readonly #db: Db = createDb(this.env.DB);

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#timers = new TimerStore(ctx.storage);
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task, task);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  #checkName(workflowId: string) {
    // A caller that routed to the wrong object would defeat serialisation: refuse loudly.
    const name = this.ctx.id.name;
    if (name !== undefined && name !== workflowId) throw new Error(`WorkflowObject ${name} was sent a change for ${workflowId}`);
  }

  /** Apply one change; resolves to a result union (errors do not keep their class over RPC). */
  async change(context: CommandContext, command: WorkflowCommand): Promise<CommandResult> {
    this.#checkName(context.workflowId);
    // Outside the critical section, while this call waits its turn (usually from the isolate's
    // cache, webhooks/subscribers.ts).
    const types = EVENTS_OF[command.action];
    const subscribers = types.length ? subscribersOf(this.#db, context.org, types) : undefined;
    subscribers?.catch(() => undefined); // awaited below; handled here in case the change ends first
    const applied = await this.#exclusive(async (): Promise<Applied> => {
      const db = this.#db;
      // A change that found its subscribers stale reads them afresh and is computed again. Only
      // the first computation takes the lookup started above; a second one (a refused copy of
      // the row, below) starts from the cache, which a stale first one has refreshed.
      const apply = (now: Date, before: WorkflowRow | undefined, first?: Promise<SubscriberSnapshot>) =>
        withSubscribers(db, context.org, types, (snapshot) => applyCommand(db, context, command, now, before, snapshot), first);
      const cached = this.#row?.org === context.org ? this.#row : undefined;
      const row = cached ?? (await findWorkflow(db, context.org, context.workflowId));
      // Linear workflows: the state machine commits; its deliveries are enqueued after, by #afterCommit.
      if (command.action === "update" || !row?.engine) {
        const now = new Date();
        let outcome = await apply(now, row, subscribers);
        // A copy that something outside the object has moved on is refused: by the version guard
        // (a conflict), or by the state machine first (an expectedStep the copy has not reached).
        // Either way, check a refusal of an unfinished copy against D1. A terminal copy stays
        // terminal whoever wrote the row since, so its refusals cost no read.
        if (cached && !outcome.result.ok && !isTerminal(cached.status)) {
          const fresh = await findWorkflow(db, context.org, context.workflowId);
          outcome = await apply(now, fresh);
        }
        this.#row = outcome.row?.engine ? undefined : outcome.row;
        return { result: outcome.result, deliveryIds: outcome.deliveryIds, effects: [] };
      }
      // A template instance. #row holds only linear rows, so this one was read from D1 and
      // there is no copy of it to drop here; #engine empties #row before the engine writes.
      if (command.action === "advance") {
        return {
          result: { ok: false, code: "conflict", message: "A template workflow moves on when its open task is completed" },
          deliveryIds: [],
          effects: [],
        };
      }
      const engineCommand: Command =
        command.action === "fail"
          ? { type: "fail", reason: command.reason }
          : { type: "cancel", reason: command.action === "cancel" ? command.reason : undefined };
      return this.#engine(context, (before) =>
        changeInstance(db, context, engineCommand, { sub: context.actor, role: "staff" }, this.#load, new Date(), before, row),
      );
    });
    await this.#afterCommit(context.org, applied);
    return applied.result as CommandResult;
  }

  /** Start a template instance with this object's id; a second start answers the first. */
  async start(request: StartRequest): Promise<EngineResult> {
    this.#checkName(request.workflowId);
    const applied = await this.#exclusive(() => this.#engine(request, (before) => startInstance(this.#db, request, this.#load, new Date(), before)));
    await this.#afterCommit(request.org, applied);
    return applied.result;
  }

  /** A task answer (actor = the caller), or an event for a waiting instance (actor = the engine). */
  async command(target: { org: string; workflowId: string }, command: Command, actor: Actor = ENGINE): Promise<EngineResult> {
    this.#checkName(target.workflowId);
    const applied = await this.#exclusive(() =>
      this.#engine(target, (before) => changeInstance(this.#db, target, command, actor, this.#load, new Date(), before)),
    );
    await this.#afterCommit(target.org, applied);
    return applied.result;
  }

  /**
   * Fire every due timer through the engine. Alarms are at-least-once: a timer fired twice, or
   * one the instance no longer lists (its task was answered), changes nothing the second time.
   * A failing run throws before its timer is deleted, so the runtime retries the alarm.
   */
  override async alarm(): Promise<void> {
    const fired = await this.#exclusive(async () => {
      const results: { org: string; applied: Applied }[] = [];
      for (const timer of this.#timers.due(Date.now())) {
        const command: Command = { type: "timer", timerId: timer.id };
        const applied = await this.#engine(timer, (before) => changeInstance(this.#db, timer, command, ENGINE, this.#load, new Date(), before));
        this.#timers.delete([timer.id]);
        results.push({ org: timer.org, applied });
      }
      await this.#timers.resetAlarm();
      return results;
    });
    for (const { org, applied } of fired) await this.#afterCommit(org, applied);
  }

  /** Run an engine change: its new timers are stored before D1 commits, its obsolete ones dropped after. */
  async #engine(target: { org: string; workflowId: string }, run: (beforeCommit: BeforeCommit) => Promise<Applied>): Promise<Applied> {
    this.#row = undefined; // the engine writes the row itself
    const applied = await run((effects) =>
      this.#timers.put(
        effects.flatMap((e) => (e.kind === "setTimer" ? [{ id: e.id, at: Date.parse(e.at), org: target.org, workflowId: target.workflowId }] : [])),
      ),
    );
    if (applied.result.ok) this.#timers.delete(applied.effects.flatMap((e) => (e.kind === "cancelTimer" ? [e.id] : [])));
    await this.#timers.resetAlarm();
    return applied;
  }

  async #afterCommit(org: string, applied: Applied) {
    // Outside the critical section, so a slow send never holds up the next change: the rows are
    // committed, a failed send is swept by cron, and an ordered webhook takes its order from
    // the rows (created_at, id), not from the order of sends.
    await enqueueDeliveries(this.env.DELIVERY_QUEUE, org, applied.deliveryIds);
    const keys = emailKeys(applied.effects);
    if (keys.length) await sendEmails(this.#db, this.env, keys);
  }

  #load = async (org: string, key: string, version: number): Promise<Definition | undefined> => {
    const cacheKey = `${org}/${key}/${version}`;
    const cached = this.#definitions.get(cacheKey);
    if (cached) return cached;
    const row = await findTemplateVersion(this.#db, org, key, version);
    const checked = row ? checkDefinition(row.definition) : undefined;
    if (!checked?.ok) return undefined;
    this.#definitions.set(cacheKey, checked.definition);
    return checked.definition;
  };
}
