// One delivery: its state, its attempt timeline (live while pending) and "Retry now" (admin).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { api } from "../../api/client";
import type { Delivery } from "../../api/types";
import { AttemptTimeline } from "../../components/AttemptTimeline";
import { Badge } from "../../components/Badge";
import { useDelivery } from "../../components/LiveDelivery";
import { Facts } from "../../components/Facts";
import { ErrorNote, Loading } from "../../components/States";
import { Time } from "../../components/Time";
import { useCan } from "../../permissions";

export function DeliveryDetail() {
  const { id = "" } = useParams();
  const manage = useCan("webhook:manage");
  const queryClient = useQueryClient();
  const delivery = useDelivery(id);
  const retry = useMutation({
    mutationFn: () => api<Delivery>(`/deliveries/${id}/retry`, { method: "POST" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["delivery", id] }),
  });

  if (delivery.isPending) return <Loading what="Loading delivery" />;
  if (delivery.isError) return <ErrorNote error={delivery.error} onRetry={() => delivery.refetch()} />;
  const d = delivery.data;

  return (
    <>
      <p className="crumbs">
        <Link to="/deliveries">Deliveries</Link>
      </p>
      <div className="page-head">
        <h1>Delivery {d.id}</h1>
        <Badge status={d.status} />
      </div>
      <Facts
        items={{
          Event: <Link to={`/events/${d.eventId}`}>{d.eventType}</Link>,
          Webhook: <Link to={`/webhooks/${d.webhookId}`}>{d.webhookId}</Link>,
          Attempts: d.attempts,
          "Next attempt": <Time at={d.nextAttemptAt} />,
          Delivered: <Time at={d.deliveredAt} />,
        }}
      />
      {manage && (
        <div className="actions">
          <button type="button" className="primary" disabled={d.status === "pending" || retry.isPending} onClick={() => retry.mutate()}>
            Retry now
          </button>
          {d.status === "pending" && <span className="muted">Already scheduled: it will be tried again by itself.</span>}
        </div>
      )}
      {retry.isError && <ErrorNote error={retry.error} />}
      <h2>Attempts</h2>
      <AttemptTimeline attempts={d.attemptLog} />
    </>
  );
}
