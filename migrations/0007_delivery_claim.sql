ALTER TABLE `deliveries` ADD `claimed_by` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `requeues` integer DEFAULT 0 NOT NULL;