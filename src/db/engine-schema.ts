// D1 tables of the workflow engine: template versions, the key each version belongs to,
// tasks, the events instances wait for, triggers, emails (their outbox) and the dispatch
// outbox that carries published events to triggers and waiting instances.
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Assignee } from "../engine/definition";
import type { Answer } from "../engine/state";

const ms = (name: string) => integer(name, { mode: "timestamp_ms" });
const json = <T>(name: string) => text(name, { mode: "json" }).$type<T>();

// One row per saved version; a version never changes once written.
export const workflowTemplates = sqliteTable(
  "workflow_templates",
  {
    org: text("org").notNull(),
    key: text("key").notNull(),
    version: integer("version").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    definition: json<Record<string, unknown>>("definition").notNull(),
    triggers: json<Record<string, unknown>[]>("triggers").notNull(),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.org, t.key, t.version] })],
);

// One row per key: which version is the latest, and whether the key is archived.
export const workflowTemplateKeys = sqliteTable(
  "workflow_template_keys",
  {
    org: text("org").notNull(),
    key: text("key").notNull(),
    latestVersion: integer("latest_version").notNull(),
    archived: integer("archived", { mode: "boolean" }).notNull().default(false),
    // When the latest version was saved: lists are newest first by it.
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.org, t.key] }), index("workflow_template_keys_org_updated").on(t.org, t.updatedAt, t.key)],
);

// Triggers of the latest version of each live key, one row each, so publish finds the
// templates an event starts with one index lookup and the per-minute cron finds every cron key
// in one scan (findLiveCronTemplates).
export const templateTriggers = sqliteTable(
  "template_triggers",
  {
    org: text("org").notNull(),
    key: text("key").notNull(),
    position: integer("position").notNull(),
    eventType: text("event_type"),
    cron: text("cron"),
  },
  (t) => [
    primaryKey({ columns: [t.org, t.key, t.position] }),
    index("template_triggers_event").on(t.org, t.eventType),
    index("template_triggers_cron").on(t.cron),
  ],
);

export type TaskStatus = "open" | "completed" | "cancelled";

export const workflowTasks = sqliteTable(
  "workflow_tasks",
  {
    id: text("id").primaryKey(),
    org: text("org").notNull(),
    workflowId: text("workflow_id").notNull(),
    step: text("step").notNull(),
    title: text("title").notNull(),
    assignee: json<Assignee>("assignee").notNull(),
    // Copies of the assignee for the `mine` filter's index.
    assigneeRole: text("assignee_role"),
    assigneeUser: text("assignee_user"),
    approvalsRequired: integer("approvals_required").notNull(),
    outcomes: json<string[]>("outcomes").notNull(),
    answers: json<Answer[]>("answers").notNull(),
    status: text("status").$type<TaskStatus>().notNull(),
    outcome: text("outcome"),
    dueAt: ms("due_at"),
    overdue: integer("overdue", { mode: "boolean" }).notNull().default(false),
    createdAt: ms("created_at").notNull(),
    completedAt: ms("completed_at"),
  },
  (t) => [
    index("workflow_tasks_org_created").on(t.org, t.createdAt, t.id),
    index("workflow_tasks_org_status_created").on(t.org, t.status, t.createdAt, t.id),
    index("workflow_tasks_org_workflow_created").on(t.org, t.workflowId, t.createdAt, t.id),
    index("workflow_tasks_org_role").on(t.org, t.assigneeRole, t.status, t.createdAt, t.id),
    index("workflow_tasks_org_user").on(t.org, t.assigneeUser, t.status, t.createdAt, t.id),
  ],
);

// An instance waiting for an event type: publish looks these up to wake the right objects.
export const workflowWaits = sqliteTable(
  "workflow_waits",
  {
    workflowId: text("workflow_id").notNull(),
    waitKey: text("wait_key").notNull(),
    org: text("org").notNull(),
    eventType: text("event_type").notNull(),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workflowId, t.waitKey] }), index("workflow_waits_lookup").on(t.org, t.eventType)],
);

// Emails an action asked for, keyed by (instance, step, visit): the row commits with the
// step; sending marks it sent, and a retry finds it sent and sends nothing.
export const workflowEmails = sqliteTable(
  "workflow_emails",
  {
    key: text("key").primaryKey(),
    org: text("org").notNull(),
    workflowId: text("workflow_id").notNull(),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    messageId: text("message_id"),
    createdAt: ms("created_at").notNull(),
    sentAt: ms("sent_at"),
  },
  (t) => [index("workflow_emails_unsent").on(t.sentAt, t.createdAt)],
);

// The outbox of engine fan-out: one row per published event that some trigger or waiting
// instance may care about, committed with the event; removed once dispatched.
export const engineDispatches = sqliteTable(
  "engine_dispatches",
  {
    eventId: text("event_id").primaryKey(),
    org: text("org").notNull(),
    createdAt: ms("created_at").notNull(),
    // How many trigger starts led to the event: 0 for events from the API, a cron or a workflow
    // people started; an instance a trigger started publishes at its own depth (templates/dispatch.ts).
    depth: integer("depth").notNull().default(0),
  },
  (t) => [index("engine_dispatches_created").on(t.createdAt)],
);
