// D1 tables. Every row carries `org` and every index leads with it (or with a parent id that
// does), so no query can reach across tenants and every list is an index range scan.
// Times are stored as integer milliseconds since the epoch and rendered as ISO strings by the API.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { DashboardRole } from "../auth/roles";
import type { EngineState } from "../engine/state";

export * from "./engine-schema";

const ms = (name: string) => integer(name, { mode: "timestamp_ms" });

export const webhooks = sqliteTable(
  "webhooks",
  {
    id: text("id").primaryKey(),
    org: text("org").notNull(),
    url: text("url").notNull(),
    description: text("description"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    headers: text("headers", { mode: "json" }).$type<Record<string, string>>().notNull(),
    // AES-GCM ciphertext of the signing secret; the plaintext is never stored.
    secretEnc: text("secret_enc").notNull(),
    // The secret replaced by the last regenerate keeps signing until this time.
    previousSecretEnc: text("previous_secret_enc"),
    previousSecretExpiresAt: ms("previous_secret_expires_at"),
    disabledReason: text("disabled_reason"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    // Payload filter (src/webhooks/filter.ts), checked when an event is published; null = all.
    filter: text("filter", { mode: "json" }).$type<Record<string, unknown>>(),
    // At most this many attempts start per sliding second (EndpointObject); null = no limit.
    rateLimit: integer("rate_limit"),
    // One delivery at a time, in publish order: the earliest pending delivery goes first.
    ordered: integer("ordered", { mode: "boolean" }).notNull().default(false),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [
    // Partial: the cron sweep's look at each ordered webhook's line reads only those webhooks.
    index("webhooks_ordered").on(t.id).where(sql`${t.ordered} = 1`),
    index("webhooks_org_created").on(t.org, t.createdAt, t.id),
  ],
);

// One row per (webhook, subscribed type); "*" is stored as a type of its own. Finding the
// subscribers of an event is an index lookup on (org, event_type), flat in the number of webhooks.
export const webhookEventTypes = sqliteTable(
  "webhook_event_types",
  {
    // Subscriptions belong to their webhook: deleting it deletes them.
    webhookId: text("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    org: text("org").notNull(),
    eventType: text("event_type").notNull(),
  },
  (t) => [primaryKey({ columns: [t.webhookId, t.eventType] }), index("webhook_event_types_lookup").on(t.org, t.eventType, t.webhookId)],
);

// Which webhooks an org's events go to, as a version: a fresh random value on every change to
// the org's subscriptions or to a webhook's `active` or `filter`, written by triggers
// (migrations/0008), so no writer can forget it. A publish that routed with subscribers it
// read earlier commits only if the version is still the one read with them (subscribers.ts).
// Random, not a counter: a value never comes back, even where storage is rolled back (tests).
export const subscriptionVersions = sqliteTable("subscription_versions", {
  org: text("org").primaryKey(),
  version: text("version").notNull(),
});

// Always empty. The stale-subscribers guard inserts a NULL into it, which fails the batch,
// when the org's subscription version moved (subscribers.ts).
export const subscriptionGuard = sqliteTable("subscription_guard", {
  stale: integer("stale").notNull(),
});

export const events = sqliteTable(
  "events",
  {
    id: text("id").primaryKey(),
    org: text("org").notNull(),
    type: text("type").notNull(),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [
    index("events_org_created").on(t.org, t.createdAt, t.id),
    index("events_org_type_created").on(t.org, t.type, t.createdAt, t.id),
    index("events_created").on(t.createdAt),
  ],
);

// Idempotency-Key records: the first answer is replayed for 24 h.
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    org: text("org").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    eventId: text("event_id").notNull(),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.org, t.key] }), index("idempotency_keys_created").on(t.createdAt)],
);

// Status lists are declared once here: drizzle types the columns with them, and the API
// schemas, the state machine and the stats counters import them.
export const DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

// A delivery row is also the outbox entry: the cron sweep re-enqueues pending rows whose
// message never arrived, so an accepted event is never lost.
export const deliveries = sqliteTable(
  "deliveries",
  {
    id: text("id").primaryKey(),
    org: text("org").notNull(),
    webhookId: text("webhook_id").notNull(),
    // A delivery belongs to its event (purged with it after EVENT_RETENTION_DAYS). Not to its
    // webhook: deliveries outlive a deleted webhook, as GET /deliveries/:id shows.
    eventId: text("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    eventType: text("event_type").notNull(),
    status: text("status", { enum: DELIVERY_STATUSES }).notNull().default("pending"),
    // Attempts made in all, across manual retries; numbers the attempt log.
    attempts: integer("attempts").notNull().default(0),
    // `attempts` when the current schedule began (0, or its value at the last manual retry).
    scheduleStart: integer("schedule_start").notNull().default(0),
    // The queue message that owns this delivery: the first message to claim it (its id is
    // stable across the queue's retries). Any other copy is dropped, so two copies never make
    // two requests. The sweep and a manual retry clear it when they enqueue a new message,
    // and whichever copy then arrives first takes over (the newest need not win: under a
    // backlog it would always be the last to arrive).
    claimedBy: text("claimed_by"),
    // Times the cron sweep enqueued this delivery again; spaces out further re-enqueues.
    requeues: integer("requeues").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    nextAttemptAt: ms("next_attempt_at"),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
    deliveredAt: ms("delivered_at"),
  },
  (t) => [
    index("deliveries_webhook_created").on(t.webhookId, t.createdAt, t.id),
    // The org-wide list (GET /deliveries), all and by status.
    index("deliveries_org_created").on(t.org, t.createdAt, t.id),
    index("deliveries_org_status_created").on(t.org, t.status, t.createdAt, t.id),
    // `org` last: the webhook's lists and stats counts are filtered by org without leaving the index.
    index("deliveries_webhook_status_created").on(t.webhookId, t.status, t.createdAt, t.id, t.org),
    index("deliveries_event").on(t.eventId),
    index("deliveries_pending_due").on(t.status, t.nextAttemptAt),
  ],
);

export const deliveryAttempts = sqliteTable(
  "delivery_attempts",
  {
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => deliveries.id, { onDelete: "cascade" }),
    org: text("org").notNull(),
    // Copied from the delivery so a webhook's stats read one index range (see below).
    webhookId: text("webhook_id").notNull().default(""),
    attempt: integer("attempt").notNull(),
    statusCode: integer("status_code"),
    durationMs: integer("duration_ms").notNull(),
    error: text("error"),
    responseSnippet: text("response_snippet"),
    at: ms("at").notNull(),
  },
  // The primary key makes a duplicate queue message unable to record the same attempt twice.
  // The stats index covers GET /webhooks/:id/stats: a range on (webhook_id, at) that carries
  // the duration and status code, so no table row is read however many attempts there are.
  (t) => [
    primaryKey({ columns: [t.deliveryId, t.attempt] }),
    index("delivery_attempts_webhook_at").on(t.webhookId, t.at, t.durationMs, t.statusCode, t.org),
  ],
);

export const WORKFLOW_STATUSES = ["in_progress", "completed", "cancelled", "failed"] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];
export const HISTORY_ACTIONS = [
  "created",
  "advanced",
  "completed",
  "cancelled",
  "failed",
  "updated",
  // Template instances: one entry per step entered, answer, timer, action and awaited event.
  "step_entered",
  "task_answered",
  "timer_fired",
  "action_taken",
  "event_received",
] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

export const workflows = sqliteTable(
  "workflows",
  {
    id: text("id").primaryKey(),
    org: text("org").notNull(),
    documentId: text("document_id").notNull(),
    workflowType: text("workflow_type").notNull(),
    steps: text("steps", { mode: "json" }).$type<string[]>().notNull(),
    currentStep: integer("current_step").notNull(),
    totalSteps: integer("total_steps").notNull(),
    status: text("status", { enum: WORKFLOW_STATUSES }).notNull(),
    assignedTo: text("assigned_to"),
    metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown>>(),
    // Template instances only (null for linear workflows): the template version it is pinned
    // to, and the engine's state (input, data, active steps, open tasks, pending timers).
    template: text("template"),
    templateVersion: integer("template_version"),
    engine: text("engine", { mode: "json" }).$type<EngineState>(),
    // Bumped by every change; updates are guarded with `WHERE version = ?`.
    version: integer("version").notNull().default(1),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
    completedAt: ms("completed_at"),
  },
  (t) => [
    index("workflows_org_created").on(t.org, t.createdAt, t.id),
    index("workflows_org_status_created").on(t.org, t.status, t.createdAt, t.id),
    index("workflows_org_document_created").on(t.org, t.documentId, t.createdAt, t.id),
  ],
);

export const workflowHistory = sqliteTable(
  "workflow_history",
  {
    workflowId: text("workflow_id")
      .notNull()
      .references(() => workflows.id, { onDelete: "cascade" }),
    // The workflow version this change produced: one row per successful change, never two.
    version: integer("version").notNull(),
    org: text("org").notNull(),
    action: text("action", { enum: HISTORY_ACTIONS }).notNull(),
    fromStep: integer("from_step"),
    toStep: integer("to_step"),
    actor: text("actor").notNull(),
    comment: text("comment"),
    at: ms("at").notNull(),
    // The step a template instance's entry is about (qualified inside parallel branches).
    step: text("step"),
  },
  (t) => [primaryKey({ columns: [t.workflowId, t.version] })],
);

// Per-org, per-status counters, updated in the same batch as each workflow change, so
// `stats` reads at most four rows however many workflows an org has.
export const workflowStats = sqliteTable(
  "workflow_stats",
  {
    org: text("org").notNull(),
    status: text("status", { enum: WORKFLOW_STATUSES }).notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.org, t.status] })],
);

// One-time dashboard sign-in codes (POST /api/v1/portal-access). Only the SHA-256 of a code is
// stored, so a leaked table signs nobody in; redeeming sets used_at in one guarded UPDATE, so a
// code works once however many requests race for it.
export const portalCodes = sqliteTable(
  "portal_codes",
  {
    codeHash: text("code_hash").primaryKey(),
    org: text("org").notNull(),
    sub: text("sub").notNull(),
    role: text("role").$type<DashboardRole>().notNull(),
    // Lifetime of the session token the code is exchanged for.
    ttlSeconds: integer("ttl_seconds").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: ms("created_at").notNull(),
    expiresAt: ms("expires_at").notNull(),
    usedAt: ms("used_at"),
  },
  (t) => [index("portal_codes_expires").on(t.expiresAt)],
);

// Row types, defined once: repositories, presenters and tests import these.
export type WebhookRow = typeof webhooks.$inferSelect;
export type NewWebhookRow = typeof webhooks.$inferInsert;
export type EventRow = typeof events.$inferSelect;
export type NewEventRow = typeof events.$inferInsert;
export type DeliveryRow = typeof deliveries.$inferSelect;
export type NewDeliveryRow = typeof deliveries.$inferInsert;
export type AttemptRow = typeof deliveryAttempts.$inferSelect;
export type WorkflowRow = typeof workflows.$inferSelect;
export type HistoryRow = typeof workflowHistory.$inferSelect;
export type NewPortalCodeRow = typeof portalCodes.$inferInsert;
