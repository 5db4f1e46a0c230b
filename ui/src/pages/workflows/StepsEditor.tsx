// A workflow's steps as an editable, reorderable list (1 to 50 names).
export function StepsEditor({ steps, onChange }: { steps: string[]; onChange: (steps: string[]) => void }) {
  const move = (i: number, by: number) => {
    const next = [...steps];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    onChange(next);
  };
  return (
    <fieldset>
      <legend>Steps, in order</legend>
      <ol className="steps-editor">
        {steps.map((step, i) => (
          <li key={i}>
            <input aria-label={`Step ${i + 1}`} value={step} required maxLength={200} onChange={(e) => onChange(steps.map((s, j) => (j === i ? e.target.value : s)))} />
            <button type="button" aria-label={`Move step ${i + 1} up`} disabled={i === 0} onClick={() => move(i, -1)}>
              ↑
            </button>
            <button type="button" aria-label={`Move step ${i + 1} down`} disabled={i === steps.length - 1} onClick={() => move(i, 1)}>
              ↓
            </button>
            <button type="button" aria-label={`Remove step ${i + 1}`} disabled={steps.length === 1} onClick={() => onChange(steps.filter((_, j) => j !== i))}>
              Remove
            </button>
          </li>
        ))}
      </ol>
      <button type="button" disabled={steps.length >= 50} onClick={() => onChange([...steps, ""])}>
        Add step
      </button>
    </fieldset>
  );
}
