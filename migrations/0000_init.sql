CREATE TABLE `deliveries` (
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
	`delivered_at` integer
);
--> statement-breakpoint
CREATE INDEX `deliveries_webhook_created` ON `deliveries` (`webhook_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `deliveries_webhook_status_created` ON `deliveries` (`webhook_id`,`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `deliveries_event` ON `deliveries` (`event_id`);--> statement-breakpoint
CREATE INDEX `deliveries_pending_due` ON `deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `delivery_attempts` (
	`delivery_id` text NOT NULL,
	`org` text NOT NULL,
	`attempt` integer NOT NULL,
	`status_code` integer,
	`duration_ms` integer NOT NULL,
	`error` text,
	`response_snippet` text,
	`at` integer NOT NULL,
	PRIMARY KEY(`delivery_id`, `attempt`)
);
--> statement-breakpoint
CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`org` text NOT NULL,
	`type` text NOT NULL,
	`data` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_org_created` ON `events` (`org`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `events_org_type_created` ON `events` (`org`,`type`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `events_created` ON `events` (`created_at`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`org` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`event_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`org`, `key`)
);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_created` ON `idempotency_keys` (`created_at`);--> statement-breakpoint
CREATE TABLE `webhook_event_types` (
	`webhook_id` text NOT NULL,
	`org` text NOT NULL,
	`event_type` text NOT NULL,
	PRIMARY KEY(`webhook_id`, `event_type`)
);
--> statement-breakpoint
CREATE INDEX `webhook_event_types_lookup` ON `webhook_event_types` (`org`,`event_type`,`webhook_id`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` text PRIMARY KEY NOT NULL,
	`org` text NOT NULL,
	`url` text NOT NULL,
	`description` text,
	`active` integer DEFAULT true NOT NULL,
	`headers` text NOT NULL,
	`secret_enc` text NOT NULL,
	`previous_secret_enc` text,
	`previous_secret_expires_at` integer,
	`disabled_reason` text,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhooks_org_created` ON `webhooks` (`org`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `workflow_history` (
	`workflow_id` text NOT NULL,
	`version` integer NOT NULL,
	`org` text NOT NULL,
	`action` text NOT NULL,
	`from_step` integer,
	`to_step` integer,
	`actor` text NOT NULL,
	`comment` text,
	`at` integer NOT NULL,
	PRIMARY KEY(`workflow_id`, `version`)
);
--> statement-breakpoint
CREATE TABLE `workflow_stats` (
	`org` text NOT NULL,
	`status` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`org`, `status`)
);
--> statement-breakpoint
CREATE TABLE `workflows` (
	`id` text PRIMARY KEY NOT NULL,
	`org` text NOT NULL,
	`document_id` text NOT NULL,
	`workflow_type` text NOT NULL,
	`steps` text NOT NULL,
	`current_step` integer NOT NULL,
	`total_steps` integer NOT NULL,
	`status` text NOT NULL,
	`assigned_to` text,
	`metadata` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`completed_at` integer
);
--> statement-breakpoint
CREATE INDEX `workflows_org_created` ON `workflows` (`org`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `workflows_org_status_created` ON `workflows` (`org`,`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `workflows_org_document_created` ON `workflows` (`org`,`document_id`,`created_at`,`id`);