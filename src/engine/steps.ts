// Finding a step by its qualified id, and the task as the API shows it: shared by the runner,
// the commands and the object. `ask/0/pharmacy` is step `pharmacy` of branch 0 of parallel `ask`.
import type { Definition, ParallelStep, Step, StepMap } from "./definition";
import type { TaskState } from "./state";

export function lookup(def: Definition, id: string): { step: Step; prefix: string } {
  const parts = id.split("/");
  let map: StepMap = def;
  let prefix = "";
  while (parts.length > 1) {
    const [name, index] = parts.splice(0, 2) as [string, string];
    map = (map.steps[name] as ParallelStep).branches[Number(index)] as StepMap;
    prefix += `${name}/${index}/`;
  }
  const step = map.steps[parts[0] as string];
  if (!step) throw new Error(`step ${id} is not in the definition`);
  return { step, prefix };
}

/** The task as the API and `workflow.task_*` events show it. */
export const taskView = (task: TaskState, workflowId: string) => ({
  id: task.id,
  workflowId,
  step: task.step,
  title: task.title,
  assignee: task.assignee,
  approvalsRequired: task.approvalsRequired,
  outcomes: task.outcomes,
  answers: task.answers,
  status: task.status,
  outcome: task.outcome,
  dueAt: task.dueAt,
  overdue: task.overdue,
  createdAt: task.createdAt,
  completedAt: task.completedAt,
});
