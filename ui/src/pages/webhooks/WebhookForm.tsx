// Create (/webhooks/new) and edit (/webhooks/:id/edit) a webhook. After a create, the secret
// is shown here once before going on to the webhook.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useNavigate, useParams } from "react-router";
import { api } from "../../api/client";
import { useWebhook } from "../../api/queries";
import type { Webhook, WebhookWithSecret } from "../../api/types";
import { ErrorNote, Loading } from "../../components/States";
import { EventPicker } from "./EventPicker";
import { headersFrom, HeadersEditor, rowsFrom, type HeaderRow } from "./HeadersEditor";
import { SecretReveal } from "./SecretReveal";

export function WebhookForm() {
  const { id } = useParams();
  const existing = useWebhook(id);
  if (id && existing.isPending) return <Loading what="Loading webhook" />;
  if (id && existing.isError) return <ErrorNote error={existing.error} onRetry={() => existing.refetch()} />;
  return <Form webhook={existing.data} key={existing.data?.updatedAt} />;
}

function Form({ webhook }: { webhook?: Webhook }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [url, setUrl] = useState(webhook?.url ?? "");
  const [description, setDescription] = useState(webhook?.description ?? "");
  const [events, setEvents] = useState<string[]>(webhook?.events ?? []);
  const [headers, setHeaders] = useState<HeaderRow[]>(rowsFrom(webhook?.headers ?? {}));
  const [created, setCreated] = useState<WebhookWithSecret | null>(null);

  const save = useMutation({
    mutationFn: async () => {
      const body = { url, description: description || undefined, events, headers: headersFrom(headers) };
      if (webhook) return { saved: await api<Webhook>(`/webhooks/${webhook.id}`, { method: "PUT", body }), secret: null };
      const created = await api<WebhookWithSecret>("/webhooks", { method: "POST", body });
      return { saved: created, secret: created };
    },
    onSuccess: async ({ saved, secret }) => {
      await queryClient.invalidateQueries({ queryKey: ["webhooks"] });
      queryClient.setQueryData(["webhook", saved.id], saved);
      if (secret) setCreated(secret);
      else navigate(`/webhooks/${saved.id}`);
    },
  });

  if (created) {
    return (
      <>
        <h1>Webhook created</h1>
        <p>
          Events will be sent to <strong>{created.url}</strong>.
        </p>
        <SecretReveal secret={created.secret} onDone={() => navigate(`/webhooks/${created.id}`)} />
      </>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  return (
    <>
      <h1>{webhook ? "Edit webhook" : "New webhook"}</h1>
      <form onSubmit={submit} className="form">
        <label htmlFor="url">Endpoint URL</label>
        <input id="url" type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://clinic.example/hooks" />
        <label htmlFor="description">Description (optional)</label>
        <input id="description" value={description} maxLength={500} onChange={(e) => setDescription(e.target.value)} />
        <EventPicker value={events} onChange={setEvents} />
        <HeadersEditor rows={headers} onChange={setHeaders} />
        {events.length === 0 && <p className="muted">Choose at least one event.</p>}
        {save.isError && <ErrorNote error={save.error} />}
        <div className="actions">
          <button type="button" onClick={() => navigate(-1)}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={save.isPending || events.length === 0}>
            {save.isPending ? "Saving…" : webhook ? "Save changes" : "Create webhook"}
          </button>
        </div>
      </form>
    </>
  );
}
