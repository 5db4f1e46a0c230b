// What `npm run receiver` decides about one request: verified with the `standardwebhooks`
// package (the same check a real receiver makes), and the status to answer. Kept apart from
// the HTTP server so the test suite runs it against deliveries the Worker signs.
import { Webhook } from "standardwebhooks";

/**
 * @param {string | undefined} secret the webhook's `whsec_…` secret; without one nothing is verified
 * @param {Record<string, string>} headers lower-case request headers
 * @param {string} body the raw body, exactly as received
 * @returns {{ verified: boolean | null, status: number, event?: unknown, reason?: string }}
 */
export function checkDelivery(secret, headers, body) {
  if (!secret) return { verified: null, status: 200 };
  try {
    return { verified: true, status: 204, event: new Webhook(secret).verify(body, headers) };
  } catch (error) {
    // 400, so the delivery's attempt log shows the failure instead of a silent success.
    return { verified: false, status: 400, reason: error instanceof Error ? error.message : String(error) };
  }
}
