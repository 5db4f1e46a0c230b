// Webhooks: the list with status, and (admin) enable, disable or delete several at once.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { api } from "../../api/client";
import { usePagedList } from "../../api/queries";
import type { Webhook } from "../../api/types";
import { Badge } from "../../components/Badge";
import { ConfirmButton } from "../../components/ConfirmButton";
import { PagedList } from "../../components/PagedList";
import { useCan } from "../../permissions";

type BulkAction = "enable" | "disable" | "delete";

const callFor = (action: BulkAction, id: string) =>
  action === "delete"
    ? api(`/webhooks/${id}`, { method: "DELETE" })
    : api(`/webhooks/${id}`, { method: "PUT", body: { active: action === "enable" } });

export function WebhookList() {
  const manage = useCan("webhook:manage");
  const list = usePagedList<Webhook>(["webhooks"], "/webhooks", { limit: 50 });
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<Set<string>>(new Set());

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  // Never rejects: each webhook's call may fail on its own, and the outcome counts them.
  const bulk = useMutation({
    mutationFn: async ({ action, ids }: { action: BulkAction; ids: string[] }) => {
      const results = await Promise.allSettled(ids.map((id) => callFor(action, id)));
      const failed = results.filter((r) => r.status === "rejected").length;
      const verb = { enable: "enabled", disable: "disabled", delete: "deleted" }[action];
      return {
        text: `${ids.length - failed} of ${ids.length} webhooks ${verb}.${failed ? ` ${failed} could not be changed.` : ""}`,
        failed: failed > 0,
      };
    },
    onSuccess: () => {
      setSelected(new Set());
      // Not awaited: the outcome shows at once and the list refreshes behind it.
      void queryClient.invalidateQueries({ queryKey: ["webhooks"] });
    },
  });
  const runBulk = (action: BulkAction) => bulk.mutate({ action, ids: [...selected] });
  const outcome = bulk.data;
  const busy = bulk.isPending;

  const allIds = list.items.map((w) => w.id);
  return (
    <>
      <div className="page-head">
        <h1>Webhooks</h1>
        {manage && (
          <Link className="button primary" to="/webhooks/new">
            New webhook
          </Link>
        )}
      </div>
      {outcome && (
        <p className={outcome.failed ? "notice" : "success"} role="status">
          {outcome.text}
        </p>
      )}
      {manage && list.items.length > 0 && (
        <div className="toolbar">
          <span>{selected.size} selected</span>
          <button type="button" disabled={!selected.size || busy} onClick={() => runBulk("enable")}>
            Enable
          </button>
          <button type="button" disabled={!selected.size || busy} onClick={() => runBulk("disable")}>
            Disable
          </button>
          <ConfirmButton
            danger
            label="Delete"
            disabled={!selected.size || busy}
            question={`Delete ${selected.size} webhooks? Their pending deliveries stop. This cannot be undone.`}
            confirmLabel="Delete them"
            onConfirm={() => runBulk("delete")}
          />
        </div>
      )}
      <PagedList
        list={list}
        what="webhooks"
        empty={
          <>
            <p>No webhooks yet.</p>
            {manage && <p>Create one to have events sent to your systems.</p>}
          </>
        }
      >
        {(items) => (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  {manage && (
                    <th scope="col">
                      <input
                        type="checkbox"
                        aria-label="Select all webhooks"
                        checked={selected.size === allIds.length}
                        onChange={(e) => setSelected(new Set(e.target.checked ? allIds : []))}
                      />
                    </th>
                  )}
                  <th scope="col">Endpoint</th>
                  <th scope="col">Status</th>
                  <th scope="col">Events</th>
                </tr>
              </thead>
              <tbody>
                {items.map((w) => (
                  <tr key={w.id}>
                    {manage && (
                      <td>
                        <input type="checkbox" aria-label={`Select ${w.url}`} checked={selected.has(w.id)} onChange={() => toggle(w.id)} />
                      </td>
                    )}
                    <td className="wrap">
                      <Link to={`/webhooks/${w.id}`}>{w.url}</Link>
                      {w.description && <div className="muted">{w.description}</div>}
                    </td>
                    <td>
                      <Badge status={w.active ? "active" : "disabled"} />
                      {w.disabledReason && <div className="muted">{w.disabledReason}</div>}
                    </td>
                    <td className="wrap">{w.events.includes("*") ? "All events" : w.events.join(", ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </PagedList>
    </>
  );
}
