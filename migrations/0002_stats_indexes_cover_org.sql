DROP INDEX `deliveries_webhook_status_created`;--> statement-breakpoint
CREATE INDEX `deliveries_webhook_status_created` ON `deliveries` (`webhook_id`,`status`,`created_at`,`id`,`org`);--> statement-breakpoint
DROP INDEX `delivery_attempts_webhook_at`;--> statement-breakpoint
CREATE INDEX `delivery_attempts_webhook_at` ON `delivery_attempts` (`webhook_id`,`at`,`duration_ms`,`status_code`,`org`);