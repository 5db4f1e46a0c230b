// Pending timers of one workflow instance, in its Durable Object's own SQLite storage. Rows are
// written before the D1 batch that makes them pending (a failed batch leaves a row the engine
// then ignores: it fires only timers its state still lists) and deleted once fired or made
// obsolete. The one alarm always points at the earliest row.
export interface TimerRow {
  id: string;
  at: number;
  org: string;
  workflowId: string;
}

export class TimerStore {
  constructor(private readonly storage: DurableObjectStorage) {
    storage.sql.exec("CREATE TABLE IF NOT EXISTS timers (id TEXT PRIMARY KEY, at INTEGER NOT NULL, org TEXT NOT NULL, workflow_id TEXT NOT NULL)");
  }

  put(rows: TimerRow[]) {
    for (const r of rows) {
      this.storage.sql.exec("INSERT OR REPLACE INTO timers (id, at, org, workflow_id) VALUES (?, ?, ?, ?)", r.id, r.at, r.org, r.workflowId);
    }
  }

  delete(ids: string[]) {
    for (const id of ids) this.storage.sql.exec("DELETE FROM timers WHERE id = ?", id);
  }

  due(now: number): TimerRow[] {
    return this.storage.sql
      .exec<{ id: string; at: number; org: string; workflow_id: string }>(
        "SELECT id, at, org, workflow_id FROM timers WHERE at <= ? ORDER BY at, id",
        now,
      )
      .toArray()
      .map((r) => ({ id: r.id, at: r.at, org: r.org, workflowId: r.workflow_id }));
  }

  /** Point the alarm at the earliest pending timer, or clear it when none is left. */
  async resetAlarm() {
    const next = this.storage.sql.exec<{ at: number | null }>("SELECT MIN(at) AS at FROM timers").one().at;
    if (next === null) await this.storage.deleteAlarm();
    else if ((await this.storage.getAlarm()) !== next) await this.storage.setAlarm(next);
  }
}
