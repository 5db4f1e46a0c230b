// Event checkboxes grouped by resource, with "All events" (the `*` subscription) on top.
import { resourceOf, useEventTypes } from "../../api/queries";
import { ErrorNote, Loading } from "../../components/States";

export function EventPicker({ value, onChange }: { value: string[]; onChange: (events: string[]) => void }) {
  const catalog = useEventTypes();
  if (catalog.isPending) return <Loading what="Loading event types" />;
  if (catalog.isError) return <ErrorNote error={catalog.error} onRetry={() => catalog.refetch()} />;

  const all = value.includes("*");
  const groups = new Map<string, string[]>();
  for (const { type } of catalog.data) groups.set(resourceOf(type), [...(groups.get(resourceOf(type)) ?? []), type]);
  const set = (types: string[], on: boolean) => onChange(on ? [...new Set([...value, ...types])] : value.filter((t) => !types.includes(t)));

  return (
    <fieldset className="events">
      <legend>Events to send</legend>
      <label className="check all">
        <input type="checkbox" checked={all} onChange={(e) => onChange(e.target.checked ? ["*"] : [])} />
        All events, including types added later
      </label>
      <div className="event-groups">
        {[...groups].map(([resource, types]) => {
          const chosen = types.filter((t) => value.includes(t)).length;
          return (
            <fieldset key={resource} className="event-group" disabled={all}>
              <legend>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={all || chosen === types.length}
                    ref={(el) => {
                      if (el) el.indeterminate = !all && chosen > 0 && chosen < types.length;
                    }}
                    onChange={(e) => set(types, e.target.checked)}
                  />
                  {resource.replace("_", " ")}
                </label>
              </legend>
              {types.map((type) => (
                <label key={type} className="check">
                  <input type="checkbox" checked={all || value.includes(type)} onChange={(e) => set([type], e.target.checked)} />
                  {type.slice(resource.length + 1)}
                </label>
              ))}
            </fieldset>
          );
        })}
      </div>
    </fieldset>
  );
}
