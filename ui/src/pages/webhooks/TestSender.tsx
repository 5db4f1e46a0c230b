// "Send test event": `webhook.test`, or the catalog example of any type, to this endpoint
// alone; then the delivery's attempts appear as they happen.
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../api/client";
import { useEventTypes } from "../../api/queries";
import type { TestSend } from "../../api/types";
import { LiveDelivery } from "../../components/LiveDelivery";
import { ErrorNote } from "../../components/States";

export function TestSender({ webhookId, active }: { webhookId: string; active: boolean }) {
  const catalog = useEventTypes();
  const [eventType, setEventType] = useState("webhook.test");
  const send = useMutation({
    mutationFn: () =>
      api<TestSend>(`/webhooks/${webhookId}/test`, { method: "POST", body: eventType === "webhook.test" ? undefined : { eventType } }),
  });

  return (
    <section className="card" aria-labelledby="test-title">
      <h2 id="test-title">Test this endpoint</h2>
      <div className="filter">
        <label htmlFor="test-type">Event</label>
        <select id="test-type" value={eventType} onChange={(e) => setEventType(e.target.value)}>
          {(catalog.data ?? [{ type: "webhook.test" }]).map((t) => (
            <option key={t.type} value={t.type}>
              {t.type}
            </option>
          ))}
        </select>
        <button type="button" className="primary" disabled={!active || send.isPending} onClick={() => send.mutate()}>
          Send test event
        </button>
      </div>
      {!active && <p className="muted">Enable the webhook to send it a test.</p>}
      {send.isError && <ErrorNote error={send.error} />}
      {send.data && <LiveDelivery key={send.data.deliveryId} id={send.data.deliveryId} title="Test delivery" />}
    </section>
  );
}
