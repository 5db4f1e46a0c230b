CREATE TABLE `engine_dispatches` (
	`event_id` text PRIMARY KEY NOT NULL,
	`org` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `engine_dispatches_created` ON `engine_dispatches` (`created_at`);--> statement-breakpoint
CREATE TABLE `template_triggers` (
	`org` text NOT NULL,
	`key` text NOT NULL,
	`position` integer NOT NULL,
	`event_type` text,
	`cron` text,
	PRIMARY KEY(`org`, `key`, `position`)
);
--> statement-breakpoint
CREATE INDEX `template_triggers_event` ON `template_triggers` (`org`,`event_type`);--> statement-breakpoint
CREATE INDEX `template_triggers_cron` ON `template_triggers` (`cron`);--> statement-breakpoint
CREATE TABLE `workflow_emails` (
	`key` text PRIMARY KEY NOT NULL,
	`org` text NOT NULL,
	`workflow_id` text NOT NULL,
	`to` text NOT NULL,
	`subject` text NOT NULL,
	`text` text NOT NULL,
	`message_id` text,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE INDEX `workflow_emails_unsent` ON `workflow_emails` (`sent_at`,`created_at`);--> statement-breakpoint
CREATE TABLE `workflow_tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`org` text NOT NULL,
	`workflow_id` text NOT NULL,
	`step` text NOT NULL,
	`title` text NOT NULL,
	`assignee` text NOT NULL,
	`assignee_role` text,
	`assignee_user` text,
	`approvals_required` integer NOT NULL,
	`outcomes` text NOT NULL,
	`answers` text NOT NULL,
	`status` text NOT NULL,
	`outcome` text,
	`due_at` integer,
	`overdue` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`completed_at` integer
);
--> statement-breakpoint
CREATE INDEX `workflow_tasks_org_created` ON `workflow_tasks` (`org`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `workflow_tasks_org_status_created` ON `workflow_tasks` (`org`,`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `workflow_tasks_org_workflow_created` ON `workflow_tasks` (`org`,`workflow_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `workflow_tasks_org_role` ON `workflow_tasks` (`org`,`assignee_role`,`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `workflow_tasks_org_user` ON `workflow_tasks` (`org`,`assignee_user`,`status`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `workflow_template_keys` (
	`org` text NOT NULL,
	`key` text NOT NULL,
	`latest_version` integer NOT NULL,
	`archived` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`org`, `key`)
);
--> statement-breakpoint
CREATE INDEX `workflow_template_keys_org_updated` ON `workflow_template_keys` (`org`,`updated_at`,`key`);--> statement-breakpoint
CREATE TABLE `workflow_templates` (
	`org` text NOT NULL,
	`key` text NOT NULL,
	`version` integer NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`definition` text NOT NULL,
	`triggers` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`org`, `key`, `version`)
);
--> statement-breakpoint
CREATE TABLE `workflow_waits` (
	`workflow_id` text NOT NULL,
	`wait_key` text NOT NULL,
	`org` text NOT NULL,
	`event_type` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`workflow_id`, `wait_key`)
);
--> statement-breakpoint
CREATE INDEX `workflow_waits_lookup` ON `workflow_waits` (`org`,`event_type`);--> statement-breakpoint
ALTER TABLE `workflow_history` ADD `step` text;--> statement-breakpoint
ALTER TABLE `workflows` ADD `template` text;--> statement-breakpoint
ALTER TABLE `workflows` ADD `template_version` integer;--> statement-breakpoint
ALTER TABLE `workflows` ADD `engine` text;