// Custom headers sent with every delivery, as editable name/value rows.
// Each row has an id of its own, so removing one never moves another's text into its inputs.
export type HeaderRow = { id: string; name: string; value: string };

const newRow = (name = "", value = ""): HeaderRow => ({ id: crypto.randomUUID(), name, value });

export const rowsFrom = (headers: Record<string, string>): HeaderRow[] => Object.entries(headers).map(([name, value]) => newRow(name, value));
export const headersFrom = (rows: HeaderRow[]) => Object.fromEntries(rows.filter((r) => r.name.trim()).map((r) => [r.name.trim(), r.value]));

export function HeadersEditor({ rows, onChange }: { rows: HeaderRow[]; onChange: (rows: HeaderRow[]) => void }) {
  const update = (i: number, patch: Partial<HeaderRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset>
      <legend>Custom headers (optional)</legend>
      {rows.map((row, i) => (
        <div className="header-row" key={row.id}>
          <input aria-label={`Header ${i + 1} name`} placeholder="X-Clinic" value={row.name} onChange={(e) => update(i, { name: e.target.value })} />
          <input aria-label={`Header ${i + 1} value`} placeholder="value" value={row.value} onChange={(e) => update(i, { value: e.target.value })} />
          <button type="button" onClick={() => onChange(rows.filter((_, j) => j !== i))} aria-label={`Remove header ${i + 1}`}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, newRow()])}>
        Add header
      </button>
    </fieldset>
  );
}
