// Deliveries as a table: newest first, each linking to its attempt timeline.
import { Link } from "react-router";
import type { Delivery } from "../api/types";
import { Badge } from "./Badge";
import { Time } from "./Time";

export function DeliveryTable({ deliveries, showWebhook = true }: { deliveries: Delivery[]; showWebhook?: boolean }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Delivery</th>
            <th scope="col">Event</th>
            {showWebhook && <th scope="col">Webhook</th>}
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last answer</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.id}>
              <td>
                <Link to={`/deliveries/${d.id}`}>{d.id}</Link>
              </td>
              <td>{d.eventType}</td>
              {showWebhook && (
                <td>
                  <Link to={`/webhooks/${d.webhookId}`}>{d.webhookId}</Link>
                </td>
              )}
              <td>
                <Badge status={d.status} />
              </td>
              <td>{d.attempts}</td>
              <td className="wrap">{d.lastStatusCode ?? d.lastError ?? "—"}</td>
              <td>
                <Time at={d.createdAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
