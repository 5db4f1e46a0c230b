// One Workers Analytics Engine data point per delivery attempt, for charts in Cloudflare's
// dashboard or Grafana (the SQL is in docs/DEPLOY.md). Layout of a point, fixed for queries:
//   index1 = org (the sampling key)
//   blob1 = org, blob2 = webhook id, blob3 = event type, blob4 = status class (2xx…5xx, error)
//   double1 = duration in ms, double2 = HTTP status code (0 when none)
export interface AttemptMetric {
  org: string;
  webhookId: string;
  eventType: string;
  statusCode: number | null;
  durationMs: number;
}

export const statusClass = (statusCode: number | null) =>
  statusCode === null || statusCode < 100 || statusCode > 599 ? "error" : `${Math.floor(statusCode / 100)}xx`;

/** Never throws: metrics must not fail a delivery. */
export function writeAttemptMetric(dataset: AnalyticsEngineDataset | undefined, m: AttemptMetric): void {
  try {
    dataset?.writeDataPoint({
      indexes: [m.org],
      blobs: [m.org, m.webhookId, m.eventType, statusClass(m.statusCode)],
      doubles: [m.durationMs, m.statusCode ?? 0],
    });
  } catch {
    // Analytics Engine writes are fire-and-forget; losing a point loses a chart pixel, nothing else.
  }
}
