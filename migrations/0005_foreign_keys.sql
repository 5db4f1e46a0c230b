-- Foreign keys with ON DELETE CASCADE where rows belong to a parent (drizzle-kit generate, then
-- edited by hand): SQLite adds a foreign key only by rebuilding the child table. Edits: D1
-- refuses PRAGMA foreign_keys inside a migration, so the checks are deferred to the commit
-- instead; rows whose parent is already gone (left by races before these keys existed) are not
-- copied; parents are rebuilt before their children (deliveries before delivery_attempts), so
-- no DROP TABLE cascades into a table that already has its key.
PRAGMA defer_foreign_keys = on;--> statement-breakpoint
CREATE TABLE `__new_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`org` text NOT NULL,
	`webhook_id` text NOT NULL,
	`event_id` text NOT NULL,
	`event_type` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`schedule_start` integer DEFAULT 0 NOT NULL,
	`last_status_code` integer,
	`last_error` text,
	`next_attempt_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`delivered_at` integer,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_deliveries`("id", "org", "webhook_id", "event_id", "event_type", "status", "attempts", "schedule_start", "last_status_code", "last_error", "next_attempt_at", "created_at", "updated_at", "delivered_at") SELECT "id", "org", "webhook_id", "event_id", "event_type", "status", "attempts", "schedule_start", "last_status_code", "last_error", "next_attempt_at", "created_at", "updated_at", "delivered_at" FROM `deliveries` WHERE "event_id" IN (SELECT "id" FROM `events`);--> statement-breakpoint
DROP TABLE `deliveries`;--> statement-breakpoint
ALTER TABLE `__new_deliveries` RENAME TO `deliveries`;--> statement-breakpoint
CREATE INDEX `deliveries_webhook_created` ON `deliveries` (`webhook_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `deliveries_org_created` ON `deliveries` (`org`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `deliveries_org_status_created` ON `deliveries` (`org`,`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `deliveries_webhook_status_created` ON `deliveries` (`webhook_id`,`status`,`created_at`,`id`,`org`);--> statement-breakpoint
CREATE INDEX `deliveries_event` ON `deliveries` (`event_id`);--> statement-breakpoint
CREATE INDEX `deliveries_pending_due` ON `deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `__new_delivery_attempts` (
	`delivery_id` text NOT NULL,
	`org` text NOT NULL,
	`webhook_id` text DEFAULT '' NOT NULL,
	`attempt` integer NOT NULL,
	`status_code` integer,
	`duration_ms` integer NOT NULL,
	`error` text,
	`response_snippet` text,
	`at` integer NOT NULL,
	PRIMARY KEY(`delivery_id`, `attempt`),
	FOREIGN KEY (`delivery_id`) REFERENCES `deliveries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_delivery_attempts`("delivery_id", "org", "webhook_id", "attempt", "status_code", "duration_ms", "error", "response_snippet", "at") SELECT "delivery_id", "org", "webhook_id", "attempt", "status_code", "duration_ms", "error", "response_snippet", "at" FROM `delivery_attempts` WHERE "delivery_id" IN (SELECT "id" FROM `deliveries`);--> statement-breakpoint
DROP TABLE `delivery_attempts`;--> statement-breakpoint
ALTER TABLE `__new_delivery_attempts` RENAME TO `delivery_attempts`;--> statement-breakpoint
CREATE INDEX `delivery_attempts_webhook_at` ON `delivery_attempts` (`webhook_id`,`at`,`duration_ms`,`status_code`,`org`);--> statement-breakpoint
CREATE TABLE `__new_webhook_event_types` (
	`webhook_id` text NOT NULL,
	`org` text NOT NULL,
	`event_type` text NOT NULL,
	PRIMARY KEY(`webhook_id`, `event_type`),
	FOREIGN KEY (`webhook_id`) REFERENCES `webhooks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_webhook_event_types`("webhook_id", "org", "event_type") SELECT "webhook_id", "org", "event_type" FROM `webhook_event_types` WHERE "webhook_id" IN (SELECT "id" FROM `webhooks`);--> statement-breakpoint
DROP TABLE `webhook_event_types`;--> statement-breakpoint
ALTER TABLE `__new_webhook_event_types` RENAME TO `webhook_event_types`;--> statement-breakpoint
CREATE INDEX `webhook_event_types_lookup` ON `webhook_event_types` (`org`,`event_type`,`webhook_id`);--> statement-breakpoint
CREATE TABLE `__new_workflow_history` (
	`workflow_id` text NOT NULL,
	`version` integer NOT NULL,
	`org` text NOT NULL,
	`action` text NOT NULL,
	`from_step` integer,
	`to_step` integer,
	`actor` text NOT NULL,
	`comment` text,
	`at` integer NOT NULL,
	`step` text,
	PRIMARY KEY(`workflow_id`, `version`),
	FOREIGN KEY (`workflow_id`) REFERENCES `workflows`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_workflow_history`("workflow_id", "version", "org", "action", "from_step", "to_step", "actor", "comment", "at", "step") SELECT "workflow_id", "version", "org", "action", "from_step", "to_step", "actor", "comment", "at", "step" FROM `workflow_history` WHERE "workflow_id" IN (SELECT "id" FROM `workflows`);--> statement-breakpoint
DROP TABLE `workflow_history`;--> statement-breakpoint
ALTER TABLE `__new_workflow_history` RENAME TO `workflow_history`;