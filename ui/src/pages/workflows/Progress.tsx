// "Step k of N: name" with a bar; a completed workflow shows the whole bar.
import type { Workflow } from "../../api/types";

export function Progress({ workflow: w }: { workflow: Workflow }) {
  const done = w.status === "completed" ? w.totalSteps : w.currentStep - 1;
  const label =
    w.status === "completed" ? `All ${w.totalSteps} steps done` : `Step ${w.currentStep} of ${w.totalSteps}: ${w.steps[w.currentStep - 1] ?? ""}`;
  return (
    <div className="progress">
      <div className="progress-label">{label}</div>
      <div className="bar" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={w.totalSteps} aria-valuenow={done}>
        <div style={{ width: `${(done / Math.max(1, w.totalSteps)) * 100}%` }} />
      </div>
    </div>
  );
}
