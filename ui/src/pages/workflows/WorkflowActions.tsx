// Advance (with a comment), cancel and fail (with a reason). Each call names the step this page
// shows (`expectedStep` for advance), so a workflow someone else moved on answers 409, shown in
// words with a reload, never as raw JSON.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../api/client";
import type { Workflow } from "../../api/types";
import { ErrorNote } from "../../components/States";
import { useCan } from "../../permissions";

type Action = "advance" | "cancel" | "fail";

const MOVED_ON = "Someone moved this workflow on since you opened it: reload to see where it stands, then try again.";

export function WorkflowActions({ workflow: w, onReload }: { workflow: Workflow; onReload: () => void }) {
  const canAdvance = useCan("workflow:advance");
  const canChange = useCan("workflow:change");
  const queryClient = useQueryClient();
  const [comment, setComment] = useState("");
  const [reason, setReason] = useState("");
  const act = useMutation({
    mutationFn: (action: Action) =>
      api<Workflow>(`/workflows/${w.id}/${action}`, {
        method: "POST",
        body: action === "advance" ? { comment: comment || undefined, expectedStep: w.currentStep } : { reason: reason || undefined },
      }),
    onSuccess: async (updated) => {
      setComment("");
      setReason("");
      queryClient.setQueryData(["workflow", w.id], updated);
      await queryClient.invalidateQueries({ queryKey: ["workflow-history", w.id] });
      await queryClient.invalidateQueries({ queryKey: ["workflows"] });
      await queryClient.invalidateQueries({ queryKey: ["workflow-stats"] });
    },
  });

  if (w.status !== "in_progress" || (!canAdvance && !canChange)) return null;
  const last = w.currentStep === w.totalSteps;
  // A template instance moves on when its tasks are answered (the API refuses advance with 409).
  const advanceable = canAdvance && w.template === null;

  return (
    <section className="card" aria-labelledby="act-title">
      <h2 id="act-title">Move it on</h2>
      {w.template !== null && (
        <p className="muted">
          This workflow follows the template “{w.template}” (version {w.templateVersion}): it moves on by itself as its tasks are answered
          {w.openTasks.length ? ` (${w.openTasks.length} open)` : ""}.
        </p>
      )}
      {advanceable && (
        <div className="form">
          <label htmlFor="comment">Comment (optional)</label>
          <input id="comment" value={comment} maxLength={1000} onChange={(e) => setComment(e.target.value)} />
          <button type="button" className="primary" disabled={act.isPending} onClick={() => act.mutate("advance")}>
            {last ? "Complete" : `Advance to “${w.steps[w.currentStep] ?? ""}”`}
          </button>
        </div>
      )}
      {canChange && (
        <div className="form">
          <label htmlFor="reason">Reason (needed to fail it)</label>
          <input id="reason" value={reason} maxLength={1000} onChange={(e) => setReason(e.target.value)} />
          <div className="actions">
            <button type="button" disabled={act.isPending} onClick={() => act.mutate("cancel")}>
              Cancel workflow
            </button>
            <button type="button" className="danger" disabled={act.isPending || !reason.trim()} onClick={() => act.mutate("fail")}>
              Fail workflow
            </button>
          </div>
        </div>
      )}
      {act.isError && (
        <ErrorNote
          error={act.error}
          conflict={MOVED_ON}
          onRetry={() => {
            act.reset();
            onReload();
          }}
        />
      )}
    </section>
  );
}
