// What the webhook routes need beyond storage: the URL policy as an API error, and a fresh
// signing secret sealed for D1. The plaintext secret leaves only in the create/regenerate answer.
import { encryptSecret, generateWebhookSecret } from "../crypto/secrets";
import { checkHostResolution } from "../delivery/host-resolution";
import { checkWebhookUrl } from "../delivery/url-policy";
import { validationError } from "../errors";
import type { Config } from "../lib/config";

/**
 * A 400 saying why, for a URL the policy refuses or whose host resolves to a non-public address
 * (or cannot be resolved: we fail closed). The URL is stored as the client sent it; the
 * consumer runs the same checks again before every attempt (DNS and config can change).
 */
export async function assertAllowedUrl(config: Config, raw: string): Promise<void> {
  const allowPrivate = config.allowPrivateWebhookUrls;
  const result = checkWebhookUrl(raw, { allowPrivate });
  if (!result.ok) throw refused(result.reason);
  if (allowPrivate) return;
  const resolved = await checkHostResolution(result.url.hostname);
  if (!resolved.ok)
    throw refused(resolved.kind === "private" ? `${resolved.reason}; only public hosts are accepted on this server.` : resolved.reason);
}

const refused = (reason: string) => validationError(`Webhook URL refused: ${reason}`, [{ path: "url", message: reason }]);

/** A new secret and its AES-GCM ciphertext, bound to this org and webhook by the AAD. */
export async function sealNewSecret(config: Config, org: string, webhookId: string) {
  const secret = generateWebhookSecret();
  const secretEnc = await encryptSecret(config.secretEncryptionKey, secret, `${org}:${webhookId}`);
  return { secret, secretEnc };
}
