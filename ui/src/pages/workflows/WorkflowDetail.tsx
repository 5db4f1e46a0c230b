// One workflow: where it stands, its actions and its history timeline.
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { api } from "../../api/client";
import type { HistoryEntry, Page, Workflow } from "../../api/types";
import { Badge } from "../../components/Badge";
import { Facts } from "../../components/Facts";
import { ErrorNote, Loading } from "../../components/States";
import { Time } from "../../components/Time";
import { Progress } from "./Progress";
import { WorkflowActions } from "./WorkflowActions";

export function WorkflowDetail() {
  const { id = "" } = useParams();
  const workflow = useQuery({ queryKey: ["workflow", id], queryFn: () => api<Workflow>(`/workflows/${id}`) });
  const history = useQuery({ queryKey: ["workflow-history", id], queryFn: () => api<Page<HistoryEntry>>(`/workflows/${id}/history`) });

  if (workflow.isPending) return <Loading what="Loading workflow" />;
  if (workflow.isError) return <ErrorNote error={workflow.error} onRetry={() => workflow.refetch()} />;
  const w = workflow.data;
  const reload = () => {
    void workflow.refetch();
    void history.refetch();
  };

  return (
    <>
      <p className="crumbs">
        <Link to="/workflows">Workflows</Link>
      </p>
      <div className="page-head">
        <h1>
          {w.workflowType} · {w.documentId}
        </h1>
        <Badge status={w.status} />
      </div>
      <Progress workflow={w} />
      <ol className="step-list" aria-label="Steps">
        {w.steps.map((s, i) => (
          <li
            // biome-ignore lint/suspicious/noArrayIndexKey: steps are positional and a name may repeat
            key={i}
            aria-current={w.status === "in_progress" && i + 1 === w.currentStep ? "step" : undefined}
            className={i + 1 < w.currentStep || w.status === "completed" ? "done" : ""}
          >
            {s}
          </li>
        ))}
      </ol>
      <Facts
        items={{
          "Assigned to": w.assignedTo ?? "—",
          ...(w.template !== null ? { Template: `${w.template} v${w.templateVersion}`, "Active steps": w.activeSteps.join(", ") || "—" } : {}),
          Created: <Time at={w.createdAt} />,
          Completed: <Time at={w.completedAt} />,
          Id: <code>{w.id}</code>,
        }}
      />
      <WorkflowActions workflow={w} onReload={reload} />
      <h2>History</h2>
      {history.isPending ? (
        <Loading what="Loading history" />
      ) : history.isError ? (
        <ErrorNote error={history.error} onRetry={() => history.refetch()} />
      ) : (
        <ol className="timeline" aria-label="History">
          {history.data.data.map((h) => (
            <li key={`${h.at} ${h.action} ${h.toStep}`} data-testid="history">
              <div className="timeline-head">
                <strong>{h.action}</strong>
                {h.fromStep !== null && h.toStep !== null && h.fromStep !== h.toStep && (
                  <span>
                    step {h.fromStep} → {h.toStep}
                  </span>
                )}
                <span>by {h.actor}</span>
                <Time at={h.at} />
              </div>
              {h.comment && <p>{h.comment}</p>}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
