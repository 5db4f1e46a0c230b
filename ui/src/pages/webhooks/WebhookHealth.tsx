// The last 24 hours of one webhook: deliveries by outcome, success rate, attempt latency, and
// when it last succeeded and failed (GET /webhooks/:id/stats). Refreshed on its own: every 2 s
// while a delivery is pending, else every 15 s.
import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import type { WebhookStats } from "../../api/types";
import { ErrorNote } from "../../components/States";
import { Time } from "../../components/Time";

const percent = (rate: number | null) => (rate === null ? "—" : `${Math.round(rate * 1000) / 10} %`);
const millis = (value: number | null) => (value === null ? "—" : `${value} ms`);

export function WebhookHealth({ webhookId }: { webhookId: string }) {
  const stats = useQuery({
    queryKey: ["webhook-stats", webhookId],
    queryFn: () => api<WebhookStats>(`/webhooks/${webhookId}/stats`),
    refetchInterval: (q) => (q.state.data?.pending ? 2000 : 15_000),
  });
  if (stats.isError) return <ErrorNote error={stats.error} onRetry={() => stats.refetch()} />;
  const s = stats.data;
  return (
    <section aria-labelledby="health-title">
      <h2 id="health-title">Last 24 hours</h2>
      <ul className="stats" aria-label="Last 24 hours">
        <li>
          <span className="stat-value">{percent(s?.successRate ?? null)}</span> success rate
        </li>
        <li>
          <span className="stat-value">{s?.succeeded ?? "…"}</span> succeeded
        </li>
        <li>
          <span className="stat-value">{s?.failed ?? "…"}</span> failed
        </li>
        <li>
          <span className="stat-value">{s?.pending ?? "…"}</span> pending
        </li>
        <li>
          <span className="stat-value">{millis(s?.latencyMs.p95 ?? null)}</span> p95 latency
        </li>
      </ul>
      {s && (
        <p className="muted">
          Last success: <Time at={s.lastSuccessAt} /> · last failure: <Time at={s.lastFailureAt} /> · p50 {millis(s.latencyMs.p50)}, p99{" "}
          {millis(s.latencyMs.p99)}
        </p>
      )}
    </section>
  );
}
