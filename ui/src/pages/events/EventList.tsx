// Events published in the org, newest first, filtered by type.
import { useState } from "react";
import { Link } from "react-router";
import { usePagedList, useEventTypes } from "../../api/queries";
import type { ApiEvent } from "../../api/types";
import { PagedList } from "../../components/PagedList";
import { StatusFilter } from "../../components/StatusFilter";
import { Time } from "../../components/Time";
import { useCan } from "../../permissions";

export function EventList() {
  const publish = useCan("event:publish");
  const catalog = useEventTypes();
  const [type, setType] = useState("");
  const list = usePagedList<ApiEvent>(["events", type], "/events", { type, limit: 20 });

  return (
    <>
      <div className="page-head">
        <h1>Events</h1>
        <StatusFilter id="event-type" label="Type" value={type} onChange={setType} options={catalog.data?.map((t) => t.type) ?? []} />
        {publish && (
          <Link className="button primary" to="/events/new">
            Publish an event
          </Link>
        )}
      </div>
      <PagedList list={list} what="events" empty={<p>{type ? `No ${type} events.` : "No events yet."}</p>}>
        {(items) => (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Type</th>
                  <th scope="col">Published</th>
                </tr>
              </thead>
              <tbody>
                {items.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <Link to={`/events/${e.id}`}>{e.id}</Link>
                    </td>
                    <td>{e.type}</td>
                    <td>
                      <Time at={e.createdAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </PagedList>
    </>
  );
}
