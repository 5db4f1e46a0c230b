// One event: its data and the deliveries it made (live while any is pending).
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { api } from "../../api/client";
import type { EventWithDeliveries } from "../../api/types";
import { DeliveryTable } from "../../components/DeliveryTable";
import { Facts } from "../../components/Facts";
import { Empty, ErrorNote, Loading } from "../../components/States";
import { Time } from "../../components/Time";

const useEvent = (id: string) =>
  useQuery({
    queryKey: ["event", id],
    queryFn: () => api<EventWithDeliveries>(`/events/${id}`),
    refetchInterval: (q) => (q.state.data?.deliveries.some((d) => d.status === "pending") ? 1000 : false),
  });

export function EventDeliveries({ id }: { id: string }) {
  const event = useEvent(id);
  if (event.isPending) return <Loading what="Loading the event's deliveries" />;
  if (event.isError) return <ErrorNote error={event.error} onRetry={() => event.refetch()} />;
  if (event.data.deliveries.length === 0) return <Empty>No webhook is subscribed to {event.data.type}, so nothing was sent.</Empty>;
  return <DeliveryTable deliveries={event.data.deliveries} />;
}

export function EventDetail() {
  const { id = "" } = useParams();
  const event = useEvent(id);
  if (event.isPending) return <Loading what="Loading event" />;
  if (event.isError) return <ErrorNote error={event.error} onRetry={() => event.refetch()} />;
  const e = event.data;
  return (
    <>
      <p className="crumbs">
        <Link to="/events">Events</Link>
      </p>
      <h1>{e.type}</h1>
      <Facts
        items={{
          Id: <code>{e.id}</code>,
          Published: <Time at={e.createdAt} />,
        }}
      />
      <h2>Data</h2>
      <pre className="snippet">{JSON.stringify(e.data, null, 2)}</pre>
      <h2>Deliveries</h2>
      <EventDeliveries id={id} />
    </>
  );
}
