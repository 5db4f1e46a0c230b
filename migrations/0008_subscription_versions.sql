CREATE TABLE `subscription_guard` (
	`stale` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `subscription_versions` (
	`org` text PRIMARY KEY NOT NULL,
	`version` text NOT NULL
);
--> statement-breakpoint
-- The org's subscription version moves on every change that can change which webhooks its
-- events go to (src/db/schema.ts, src/webhooks/subscribers.ts): a subscription added or
-- removed, a webhook created or deleted, a webhook's `active` or `filter` changed. Health
-- counters, URLs, secrets and the like leave it alone. A DELETE and a plain INSERT, not
-- INSERT OR REPLACE: a trigger's OR clause yields to one on the statement firing it (an
-- `INSERT OR IGNORE INTO webhook_event_types` would have left the old version in place).
CREATE TRIGGER `subscription_version_on_subscribe` AFTER INSERT ON `webhook_event_types` BEGIN
	DELETE FROM `subscription_versions` WHERE `org` IN (NEW.`org`);
	INSERT INTO `subscription_versions` (`org`, `version`) VALUES (NEW.`org`, lower(hex(randomblob(8))));
END;
--> statement-breakpoint
CREATE TRIGGER `subscription_version_on_unsubscribe` AFTER DELETE ON `webhook_event_types` BEGIN
	DELETE FROM `subscription_versions` WHERE `org` IN (OLD.`org`);
	INSERT INTO `subscription_versions` (`org`, `version`) VALUES (OLD.`org`, lower(hex(randomblob(8))));
END;
--> statement-breakpoint
CREATE TRIGGER `subscription_version_on_subscription_update` AFTER UPDATE ON `webhook_event_types` BEGIN
	DELETE FROM `subscription_versions` WHERE `org` IN (OLD.`org`, NEW.`org`);
	INSERT INTO `subscription_versions` (`org`, `version`)
		SELECT `org`, lower(hex(randomblob(8))) FROM (SELECT OLD.`org` AS `org` UNION SELECT NEW.`org`);
END;
--> statement-breakpoint
CREATE TRIGGER `subscription_version_on_webhook_insert` AFTER INSERT ON `webhooks` BEGIN
	DELETE FROM `subscription_versions` WHERE `org` IN (NEW.`org`);
	INSERT INTO `subscription_versions` (`org`, `version`) VALUES (NEW.`org`, lower(hex(randomblob(8))));
END;
--> statement-breakpoint
CREATE TRIGGER `subscription_version_on_webhook_update` AFTER UPDATE ON `webhooks`
WHEN OLD.`active` IS NOT NEW.`active` OR OLD.`filter` IS NOT NEW.`filter` OR OLD.`org` IS NOT NEW.`org` BEGIN
	DELETE FROM `subscription_versions` WHERE `org` IN (OLD.`org`, NEW.`org`);
	INSERT INTO `subscription_versions` (`org`, `version`)
		SELECT `org`, lower(hex(randomblob(8))) FROM (SELECT OLD.`org` AS `org` UNION SELECT NEW.`org`);
END;
--> statement-breakpoint
CREATE TRIGGER `subscription_version_on_webhook_delete` AFTER DELETE ON `webhooks` BEGIN
	DELETE FROM `subscription_versions` WHERE `org` IN (OLD.`org`);
	INSERT INTO `subscription_versions` (`org`, `version`) VALUES (OLD.`org`, lower(hex(randomblob(8))));
END;
