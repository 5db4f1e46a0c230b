ALTER TABLE `delivery_attempts` ADD `webhook_id` text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Hand-added: attempts recorded before this migration take their webhook from the delivery.
UPDATE `delivery_attempts` SET `webhook_id` = (SELECT `webhook_id` FROM `deliveries` WHERE `deliveries`.`id` = `delivery_attempts`.`delivery_id`) WHERE `webhook_id` = '';--> statement-breakpoint
CREATE INDEX `delivery_attempts_webhook_at` ON `delivery_attempts` (`webhook_id`,`at`,`duration_ms`,`status_code`);--> statement-breakpoint
ALTER TABLE `webhooks` ADD `filter` text;--> statement-breakpoint
ALTER TABLE `webhooks` ADD `rate_limit` integer;--> statement-breakpoint
ALTER TABLE `webhooks` ADD `ordered` integer DEFAULT false NOT NULL;