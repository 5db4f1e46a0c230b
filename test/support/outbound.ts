// The test runtime's outbound network (miniflare `outboundService`, set in vitest.config.ts).
// Plain web APIs only: vitest.config.ts runs it in Node, tests import the host name.

/** Webhook URLs on this host get their request echoed back (see outboundService). */
export const ECHO_RECEIVER_HOST = "echo.receiver.example.com";
/** This host answers 500 to the first request of each webhook-id, then echoes like the above. */
export const FLAKY_RECEIVER_HOST = "flaky.receiver.example.com";
const failedOnce = new Set<string>();

/**
 * Every outbound fetch of the Worker under test lands here, never on the network: messages
 * that tests enqueue are delivered by the real queue consumer to this stub. The echo host
 * answers with what it received, so a test can read it back from the attempt log's snippet
 * and verify the signature; the flaky host makes a retry happen; every other host gets 200 "ok".
 */
export async function outboundService(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.hostname === FLAKY_RECEIVER_HOST) {
    const id = request.headers.get("webhook-id") ?? "";
    if (!failedOnce.has(id)) {
      failedOnce.add(id);
      return new Response("try again", { status: 500 });
    }
  } else if (url.hostname !== ECHO_RECEIVER_HOST) {
    return new Response("ok");
  }
  const headers: Record<string, string> = {};
  for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature", "content-type", "user-agent"]) {
    headers[name] = request.headers.get(name) ?? "";
  }
  return Response.json({ method: request.method, headers, body: await request.text() });
}
