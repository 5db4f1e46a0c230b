// The shape of a template definition, as zod: `{start, steps}` where each step is one of the
// seven types. This checks each step on its own (fields, bounds, operators); check.ts then
// checks the graph (names, reachability, cycles). Parallel branches nest the same shape.
import { z } from "zod";
import { ROLES } from "../auth/roles";
import { CHOICE_OPERATORS } from "./choice";
import { parseDuration } from "./duration";

export const MAX_STEPS_PER_MAP = 50;
export const MAX_BRANCHES = 10;
export const MAX_DEFINITION_BYTES = 64 * 1024;

export const stepName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "step names are 1-64 of A-Z a-z 0-9 _ -");
const outcomeName = z.string().regex(/^[a-z0-9_-]{1,32}$/, "outcomes are 1-32 of a-z 0-9 _ -");
const duration = z
  .string()
  .max(40)
  .refine((d) => parseDuration(d) !== undefined, {
    message: "an ISO-8601 duration of weeks, days, hours, minutes or seconds (PT4H, P2D), at most 366 days",
  });
// Paths a choice or `set` may name; `now` is only readable (a $ref), never a choice path.
const fieldPath = /^(?:input|data)(?:\.[A-Za-z0-9_-]{1,64}){0,10}$|^documentId$/;
// Names JavaScript gives objects' prototypes: a `set` through them would replace the
// instance's data prototype (paths.ts defines own properties anyway), so no path may name one.
const PROTOTYPE_NAMES = new Set(["__proto__", "constructor", "prototype"]);
const noPrototypeName = (path: string) => !path.split(".").some((part) => PROTOTYPE_NAMES.has(part));
const PROTOTYPE_MESSAGE = "no part of a path may be __proto__, constructor or prototype";
const choicePath = z.string().regex(fieldPath, "a path starting with input. or data., or documentId").refine(noPrototypeName, PROTOTYPE_MESSAGE);
const dataPath = z
  .string()
  .regex(/^data(?:\.[A-Za-z0-9_-]{1,64}){1,10}$/, "a path inside data, e.g. data.approvedAt")
  .refine(noPrototypeName, PROTOTYPE_MESSAGE);
const text = (max: number) => z.string().min(1).max(max);
// A record keyed by dataPath would report a bad key only as "Invalid key in record"; this names
// what is wrong with it, at the key's own path.
const setPaths = z.record(z.string(), z.unknown()).superRefine((set, ctx) => {
  for (const key of Object.keys(set)) {
    const checked = dataPath.safeParse(key);
    if (!checked.success) ctx.addIssue({ code: "custom", path: [key], message: checked.error.issues[0]?.message ?? "not a path inside data" });
  }
});

export const assigneeSchema = z.union([z.strictObject({ role: z.enum(ROLES) }), z.strictObject({ user: text(128) })]);
export type Assignee = z.infer<typeof assigneeSchema>;

const taskStep = z
  .strictObject({
    type: z.literal("task"),
    title: text(200),
    assignee: assigneeSchema,
    approvals: z.number().int().min(1).max(50).default(1),
    outcomes: z
      .array(outcomeName)
      .min(1)
      .max(10)
      .refine((list) => new Set(list).size === list.length, { message: "outcomes must be distinct" })
      .default(["approve", "reject"]),
    dueIn: duration.optional(),
    onOverdue: z.union([z.literal("fail"), z.strictObject({ reassign: assigneeSchema }), z.strictObject({ goto: stepName })]).optional(),
    next: z.record(outcomeName, stepName),
  })
  // One named user answers once: N > 1 approvals from one user can only be reached if the task
  // later moves to a role (onOverdue reassign), which the check leaves possible.
  .refine(
    (task) =>
      task.approvals === 1 ||
      !("user" in task.assignee) ||
      (typeof task.onOverdue === "object" && "reassign" in task.onOverdue && "role" in task.onOverdue.reassign),
    {
      message: "a task assigned to one user takes 1 approval (unless onOverdue reassigns it to a role); assign a role for N-of-M approval",
      path: ["approvals"],
    },
  );

const choiceRule = z
  .strictObject({
    path: choicePath,
    next: stepName,
    ...Object.fromEntries(CHOICE_OPERATORS.map((op) => [op, z.unknown().optional()])),
  })
  .refine((rule) => CHOICE_OPERATORS.filter((op) => Object.hasOwn(rule, op)).length === 1, {
    message: `exactly one of ${CHOICE_OPERATORS.join(", ")}`,
  })
  .refine((rule) => !Object.hasOwn(rule, "exists") || typeof (rule as { exists?: unknown }).exists === "boolean", {
    message: "exists takes true or false",
    path: ["exists"],
  })
  .refine((rule) => !Object.hasOwn(rule, "in") || Array.isArray((rule as { in?: unknown }).in), {
    message: "in takes an array",
    path: ["in"],
  });

const choiceStep = z.strictObject({
  type: z.literal("choice"),
  choices: z.array(choiceRule).min(1).max(50),
  // Optional here so the checker can name a missing default precisely (contract rejection).
  default: stepName.optional(),
});

const actionStep = z
  .strictObject({
    type: z.literal("action"),
    emit: z.strictObject({ type: text(100), data: z.record(z.string().max(128), z.unknown()).default({}) }).optional(),
    set: setPaths.optional(),
    email: z.strictObject({ to: z.unknown(), subject: z.unknown(), text: z.unknown() }).optional(),
    next: stepName,
  })
  .refine((s) => s.emit || s.set || s.email, { message: "an action needs at least one of emit, set, email" });

const waitStep = z
  .strictObject({
    type: z.literal("wait"),
    for: duration.optional(),
    event: z.strictObject({ type: text(100), match: z.record(z.string().max(200), z.unknown()).optional() }).optional(),
    timeout: duration.optional(),
    next: stepName,
    onTimeout: stepName.optional(),
  })
  .refine((s) => (s.for === undefined) !== (s.event === undefined), { message: "a wait takes exactly one of for, event" })
  .refine((s) => s.event || (s.timeout === undefined && s.onTimeout === undefined), {
    message: "timeout and onTimeout belong to a wait for an event",
  });

const succeedStep = z.strictObject({ type: z.literal("succeed") });
const failStep = z.strictObject({ type: z.literal("fail"), reason: text(1000).optional() });

export interface StepMap {
  start?: string;
  steps: Record<string, Step>;
}
export type TaskStep = z.infer<typeof taskStep>;
export type ChoiceStep = z.infer<typeof choiceStep>;
export type ActionStep = z.infer<typeof actionStep>;
export type WaitStep = z.infer<typeof waitStep>;
export interface ParallelStep {
  type: "parallel";
  branches: StepMap[];
  join: "all" | "any" | number;
  next: string;
}
export type Step = TaskStep | ChoiceStep | ActionStep | WaitStep | ParallelStep | z.infer<typeof succeedStep> | z.infer<typeof failStep>;

// `start` is optional here so the checker can report a missing start with its path.
const stepMap: z.ZodType<StepMap> = z.lazy(() =>
  z.strictObject({
    start: stepName.optional(),
    steps: z.record(stepName, stepSchema).refine((steps) => Object.keys(steps).length >= 1 && Object.keys(steps).length <= MAX_STEPS_PER_MAP, {
      message: `1 to ${MAX_STEPS_PER_MAP} steps`,
    }),
  }),
);

const parallelStep = z.strictObject({
  type: z.literal("parallel"),
  branches: z.array(stepMap).min(2).max(MAX_BRANCHES),
  join: z.union([z.literal("all"), z.literal("any"), z.number().int().min(1)]).default("all"),
  next: stepName,
});

const stepSchema: z.ZodType<Step> = z.discriminatedUnion("type", [
  taskStep,
  choiceStep,
  actionStep,
  waitStep,
  parallelStep,
  succeedStep,
  failStep,
]) as unknown as z.ZodType<Step>;

export const definitionSchema = stepMap;
export type Definition = StepMap & { start: string };
