// Start a workflow on a document: its type, its steps and who it is assigned to.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { api } from "../../api/client";
import type { Workflow } from "../../api/types";
import { ErrorNote } from "../../components/States";
import { newStep, type Step, StepsEditor } from "./StepsEditor";

export function WorkflowForm() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [documentId, setDocumentId] = useState("");
  const [workflowType, setWorkflowType] = useState("");
  const [steps, setSteps] = useState<Step[]>(() => [newStep("Review"), newStep("Approve")]);
  const [assignedTo, setAssignedTo] = useState("");
  const create = useMutation({
    mutationFn: () =>
      api<Workflow>("/workflows", {
        method: "POST",
        body: { documentId, workflowType, steps: steps.map((s) => s.name), assignedTo: assignedTo || undefined },
      }),
    onSuccess: async (w) => {
      await queryClient.invalidateQueries({ queryKey: ["workflows"] });
      await queryClient.invalidateQueries({ queryKey: ["workflow-stats"] });
      navigate(`/workflows/${w.id}`);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };

  return (
    <>
      <h1>New workflow</h1>
      <form className="form" onSubmit={submit}>
        <label htmlFor="document-id">Document id</label>
        <input id="document-id" required value={documentId} onChange={(e) => setDocumentId(e.target.value)} placeholder="doc_123" />
        <label htmlFor="workflow-type">Workflow type</label>
        <input id="workflow-type" required value={workflowType} onChange={(e) => setWorkflowType(e.target.value)} placeholder="consent_form" />
        <StepsEditor steps={steps} onChange={setSteps} />
        <label htmlFor="assigned-to">Assigned to (optional)</label>
        <input id="assigned-to" value={assignedTo} onChange={(e) => setAssignedTo(e.target.value)} />
        {create.isError && <ErrorNote error={create.error} />}
        <div className="actions">
          <button type="button" onClick={() => navigate(-1)}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create workflow"}
          </button>
        </div>
      </form>
    </>
  );
}
