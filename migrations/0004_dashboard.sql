CREATE TABLE `portal_codes` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`org` text NOT NULL,
	`sub` text NOT NULL,
	`role` text NOT NULL,
	`ttl_seconds` integer NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer
);
--> statement-breakpoint
CREATE INDEX `portal_codes_expires` ON `portal_codes` (`expires_at`);--> statement-breakpoint
CREATE INDEX `deliveries_org_created` ON `deliveries` (`org`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `deliveries_org_status_created` ON `deliveries` (`org`,`status`,`created_at`,`id`);