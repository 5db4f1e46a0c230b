// One webhook: its settings, the admin's actions (edit, enable/disable, regenerate secret,
// send a test, delete) and its deliveries.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api } from "../../api/client";
import { useWebhook } from "../../api/queries";
import type { Webhook, WebhookWithSecret } from "../../api/types";
import { Badge } from "../../components/Badge";
import { ConfirmButton } from "../../components/ConfirmButton";
import { Facts } from "../../components/Facts";
import { ErrorNote, Loading } from "../../components/States";
import { Time } from "../../components/Time";
import { useCan } from "../../permissions";
import { SecretReveal } from "./SecretReveal";
import { TestSender } from "./TestSender";
import { WebhookHealth } from "./WebhookHealth";
import { WebhookDeliveries } from "../../components/DeliveryHistory";

export function WebhookDetail() {
  const { id = "" } = useParams();
  const manage = useCan("webhook:manage");
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const webhook = useWebhook(id);
  const [secret, setSecret] = useState<string | null>(null);

  const refresh = (saved: Webhook) => {
    queryClient.setQueryData(["webhook", id], saved);
    return queryClient.invalidateQueries({ queryKey: ["webhooks"] });
  };
  const setActive = useMutation({
    mutationFn: (active: boolean) => api<Webhook>(`/webhooks/${id}`, { method: "PUT", body: { active } }),
    onSuccess: refresh,
  });
  const regenerate = useMutation({
    mutationFn: () => api<WebhookWithSecret>(`/webhooks/${id}/regenerate-secret`, { method: "POST" }),
    onSuccess: (saved) => {
      setSecret(saved.secret);
      return refresh(saved);
    },
  });
  const remove = useMutation({
    mutationFn: () => api(`/webhooks/${id}`, { method: "DELETE" }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["webhooks"] });
      navigate("/webhooks");
    },
  });

  if (webhook.isPending) return <Loading what="Loading webhook" />;
  if (webhook.isError) return <ErrorNote error={webhook.error} onRetry={() => webhook.refetch()} />;
  const w = webhook.data;
  const failed = [setActive, regenerate, remove].find((m) => m.isError);

  return (
    <>
      <p className="crumbs">
        <Link to="/webhooks">Webhooks</Link>
      </p>
      <div className="page-head">
        <h1 className="wrap">{w.url}</h1>
        <Badge status={w.active ? "active" : "disabled"} />
      </div>
      {w.disabledReason && <p className="notice">Disabled: {w.disabledReason}</p>}
      <Facts
        items={{
          Description: w.description ?? "—",
          Events: w.events.includes("*") ? "All events" : w.events.join(", "),
          "Custom headers": Object.keys(w.headers).length ? Object.keys(w.headers).join(", ") : "—",
          Created: <Time at={w.createdAt} />,
          Id: <code>{w.id}</code>,
        }}
      />
      {manage && (
        <div className="actions">
          <Link className="button" to={`/webhooks/${id}/edit`}>
            Edit
          </Link>
          <button type="button" disabled={setActive.isPending} onClick={() => setActive.mutate(!w.active)}>
            {w.active ? "Disable" : "Enable"}
          </button>
          <ConfirmButton
            label="Regenerate secret"
            question="Issue a new signing secret? The current one keeps signing beside it for a grace period (24 hours by default)."
            confirmLabel="Regenerate"
            onConfirm={() => regenerate.mutate()}
          />
          <ConfirmButton
            danger
            label="Delete"
            question={`Delete the webhook to ${w.url}? Its pending deliveries stop.`}
            confirmLabel="Delete webhook"
            onConfirm={() => remove.mutate()}
          />
        </div>
      )}
      {failed && <ErrorNote error={failed.error} />}
      {secret && <SecretReveal secret={secret} onDone={() => setSecret(null)} />}
      {manage && <TestSender webhookId={id} active={w.active} />}
      <WebhookHealth webhookId={id} />
      <WebhookDeliveries webhookId={id} />
    </>
  );
}
