// One delivery, refreshed every second while it is pending, so its attempts appear as they
// happen (used after "Send test" and "Retry now").
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api } from "../api/client";
import type { DeliveryWithAttempts } from "../api/types";
import { AttemptTimeline } from "./AttemptTimeline";
import { Badge } from "./Badge";
import { ErrorNote, Loading } from "./States";

export const useDelivery = (id: string) =>
  useQuery({
    queryKey: ["delivery", id],
    queryFn: () => api<DeliveryWithAttempts>(`/deliveries/${id}`),
    // Only while pending: without data (an error answer) it waits for the Retry button.
    refetchInterval: (q) => (q.state.data?.status === "pending" ? 1000 : false),
  });

export function LiveDelivery({ id, title }: { id: string; title: string }) {
  const delivery = useDelivery(id);
  return (
    <section className="card" aria-live="polite" aria-labelledby={`live-${id}`}>
      <h2 id={`live-${id}`}>{title}</h2>
      {delivery.isPending ? (
        <Loading what="Waiting for the delivery" />
      ) : delivery.isError ? (
        <ErrorNote error={delivery.error} onRetry={() => delivery.refetch()} />
      ) : (
        <>
          <p>
            <Link to={`/deliveries/${id}`}>{id}</Link> <Badge status={delivery.data.status} />
            {delivery.data.status === "pending" && delivery.data.nextAttemptAt && <span className="muted"> next attempt soon</span>}
          </p>
          <AttemptTimeline attempts={delivery.data.attemptLog} />
        </>
      )}
    </section>
  );
}
