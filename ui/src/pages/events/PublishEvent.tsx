// The payload builder (admin): publish an event of any catalog type, its `data` pre-filled with
// the catalog's example, then watch the deliveries it makes.
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { api } from "../../api/client";
import { useEventTypes } from "../../api/queries";
import type { EventAccepted } from "../../api/types";
import { ErrorNote, Loading } from "../../components/States";
import { EventDeliveries } from "./EventDetail";

export function PublishEvent() {
  const catalog = useEventTypes();
  const [type, setType] = useState("");
  const [data, setData] = useState("{}");
  const [key, setKey] = useState("");
  const [jsonError, setJsonError] = useState<string | null>(null);
  const publish = useMutation({
    mutationFn: (body: { type: string; data: unknown }) =>
      api<EventAccepted>("/events", { method: "POST", body, headers: key ? { "idempotency-key": key } : {} }),
  });

  if (catalog.isPending) return <Loading what="Loading event types" />;
  if (catalog.isError) return <ErrorNote error={catalog.error} onRetry={() => catalog.refetch()} />;

  const choose = (next: string) => {
    setType(next);
    setData(JSON.stringify(catalog.data.find((t) => t.type === next)?.example ?? {}, null, 2));
    setJsonError(null);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch (err) {
      return setJsonError(`The data is not valid JSON: ${(err as Error).message}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return setJsonError("The data must be a JSON object.");
    setJsonError(null);
    publish.mutate({ type, data: parsed });
  };

  return (
    <>
      <p className="crumbs">
        <Link to="/events">Events</Link>
      </p>
      <h1>Publish an event</h1>
      <p>Every webhook subscribed to the type receives it, signed, exactly as from the Purple Cross app.</p>
      <form className="form" onSubmit={submit}>
        <label htmlFor="type">Event type</label>
        <select id="type" required value={type} onChange={(e) => choose(e.target.value)}>
          <option value="" disabled>
            Choose a type…
          </option>
          {catalog.data.map((t) => (
            <option key={t.type} value={t.type}>
              {t.type} — {t.description}
            </option>
          ))}
        </select>
        <label htmlFor="data">Data (JSON)</label>
        <textarea id="data" rows={10} spellCheck={false} className="code" value={data} onChange={(e) => setData(e.target.value)} />
        {jsonError && (
          <p className="field-error" role="alert">
            {jsonError}
          </p>
        )}
        <label htmlFor="idempotency-key">Idempotency key (optional)</label>
        <input id="idempotency-key" value={key} onChange={(e) => setKey(e.target.value)} maxLength={255} />
        {publish.isError && <ErrorNote error={publish.error} />}
        <div className="actions">
          <button type="submit" className="primary" disabled={!type || publish.isPending}>
            {publish.isPending ? "Publishing…" : "Publish"}
          </button>
        </div>
      </form>
      {publish.data && (
        <section className="card" aria-live="polite">
          <h2>
            Published <Link to={`/events/${publish.data.id}`}>{publish.data.id}</Link>
          </h2>
          <EventDeliveries id={publish.data.id} />
        </section>
      )}
    </>
  );
}
