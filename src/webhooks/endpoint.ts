// What the webhook routes need beyond storage: the URL policy as an API error, and a fresh
// signing secret sealed for D1. The plaintext secret leaves only in the create/regenerate answer.
import { encryptSecret, generateWebhookSecret } from "../crypto/secrets";
import { checkWebhookUrl } from "../delivery/url-policy";
import { validationError } from "../errors";
import type { Config } from "../lib/config";

/**
 * A 400 saying why, for a URL the policy refuses. The URL is stored as the client sent it;
 * the consumer runs the same check again before every attempt (DNS and config can change).
 */
export function assertAllowedUrl(config: Config, raw: string): void {
  const result = checkWebhookUrl(raw, { allowPrivate: config.allowPrivateWebhookUrls });
  if (!result.ok) throw validationError(`Webhook URL refused: ${result.reason}`, [{ path: "url", message: result.reason }]);
}

/** A new secret and its AES-GCM ciphertext, bound to this org and webhook by the AAD. */
export async function sealNewSecret(config: Config, org: string, webhookId: string) {
  const secret = generateWebhookSecret();
  const secretEnc = await encryptSecret(config.secretEncryptionKey, secret, `${org}:${webhookId}`);
  return { secret, secretEnc };
}
