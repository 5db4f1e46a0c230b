// Workflows: counts by status, then the list (status filter, search by document id).
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { api } from "../../api/client";
import { usePagedList } from "../../api/queries";
import type { Workflow, WorkflowStats } from "../../api/types";
import { Badge } from "../../components/Badge";
import { PagedList } from "../../components/PagedList";
import { StatusFilter } from "../../components/StatusFilter";
import { ErrorNote } from "../../components/States";
import { Time } from "../../components/Time";
import { useCan } from "../../permissions";
import { Progress } from "./Progress";

const STATUSES = ["in_progress", "completed", "cancelled", "failed"] as const;

export function WorkflowList() {
  const create = useCan("workflow:create");
  const [status, setStatus] = useState("");
  const [search, setSearch] = useState("");
  const [documentId, setDocumentId] = useState("");
  const stats = useQuery({ queryKey: ["workflow-stats"], queryFn: () => api<WorkflowStats>("/workflows/stats") });
  const list = usePagedList<Workflow>(["workflows", status, documentId], "/workflows", { status, documentId, limit: 20 });

  const submitSearch = (e: FormEvent) => {
    e.preventDefault();
    setDocumentId(search.trim());
  };

  return (
    <>
      <div className="page-head">
        <h1>Workflows</h1>
        {create && (
          <Link className="button primary" to="/workflows/new">
            New workflow
          </Link>
        )}
      </div>
      {stats.isError ? (
        <ErrorNote error={stats.error} onRetry={() => stats.refetch()} />
      ) : (
        <ul className="stats" aria-label="Workflows by status">
          <li>
            <span className="stat-value">{stats.data?.total ?? "…"}</span> total
          </li>
          {STATUSES.map((s) => (
            <li key={s}>
              <span className="stat-value">{stats.data?.byStatus[s] ?? "…"}</span> {s.replace("_", " ")}
            </li>
          ))}
        </ul>
      )}
      <div className="toolbar">
        <StatusFilter id="workflow-status" value={status} onChange={setStatus} options={[...STATUSES]} />
        <search>
          <form onSubmit={submitSearch} className="filter">
            <label htmlFor="document-search">Document id</label>
            <input id="document-search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="doc_…" />
            <button type="submit">Search</button>
            {documentId && (
              <button
                type="button"
                onClick={() => {
                  setSearch("");
                  setDocumentId("");
                }}
              >
                Clear
              </button>
            )}
          </form>
        </search>
      </div>
      <PagedList list={list} what="workflows" empty={<p>{documentId || status ? "No workflow matches." : "No workflows yet."}</p>}>
        {(items) => (
          <ul className="cards">
            {items.map((w) => (
              <li key={w.id} className="card">
                <div className="page-head">
                  <h2>
                    <Link to={`/workflows/${w.id}`}>
                      {w.workflowType} · {w.documentId}
                    </Link>
                  </h2>
                  <Badge status={w.status} />
                </div>
                <Progress workflow={w} />
                <p className="muted">
                  {w.assignedTo ? `Assigned to ${w.assignedTo} · ` : ""}updated <Time at={w.updatedAt} />
                </p>
              </li>
            ))}
          </ul>
        )}
      </PagedList>
    </>
  );
}
