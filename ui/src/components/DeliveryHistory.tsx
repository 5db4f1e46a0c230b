// Delivery history (the org's, or one webhook's), newest first, filtered by status; live while any is pending.
import { useState } from "react";
import { usePagedList } from "../api/queries";
import type { Delivery } from "../api/types";
import { DeliveryTable } from "./DeliveryTable";
import { PagedList } from "./PagedList";
import { StatusFilter } from "./StatusFilter";

const anyPending = (items: Delivery[]) => items.some((d) => d.status === "pending");

export function DeliveryHistory({ basePath, showWebhook, title }: { basePath: string; showWebhook: boolean; title?: string }) {
  const [status, setStatus] = useState("");
  const list = usePagedList<Delivery>(["deliveries", basePath, status], basePath, { status, limit: 20 }, anyPending);

  return (
    <section aria-labelledby="deliveries-title">
      <div className="page-head">
        {title ? <h2 id="deliveries-title">{title}</h2> : <h1 id="deliveries-title">Deliveries</h1>}
        <StatusFilter id="delivery-status" value={status} onChange={setStatus} options={["pending", "succeeded", "failed"]} />
      </div>
      <PagedList list={list} what="deliveries" empty={<p>{status ? `No ${status} deliveries.` : "No deliveries yet."}</p>}>
        {(items) => <DeliveryTable deliveries={items} showWebhook={showWebhook} />}
      </PagedList>
    </section>
  );
}

export const WebhookDeliveries = ({ webhookId }: { webhookId: string }) => (
  <DeliveryHistory basePath={`/webhooks/${webhookId}/deliveries`} showWebhook={false} title="Deliveries" />
);
