// A workflow's steps as an editable, reorderable list (1 to 50 names). Each step carries an id
// of its own, so moving or removing one never moves another's text into its input.
export type Step = { id: string; name: string };

export const newStep = (name = ""): Step => ({ id: crypto.randomUUID(), name });

export function StepsEditor({ steps, onChange }: { steps: Step[]; onChange: (steps: Step[]) => void }) {
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
          <li key={step.id}>
            <input
              aria-label={`Step ${i + 1}`}
              value={step.name}
              required
              maxLength={200}
              onChange={(e) => onChange(steps.map((s) => (s.id === step.id ? { ...s, name: e.target.value } : s)))}
            />
            <button type="button" aria-label={`Move step ${i + 1} up`} disabled={i === 0} onClick={() => move(i, -1)}>
              ↑
            </button>
            <button type="button" aria-label={`Move step ${i + 1} down`} disabled={i === steps.length - 1} onClick={() => move(i, 1)}>
              ↓
            </button>
            <button
              type="button"
              aria-label={`Remove step ${i + 1}`}
              disabled={steps.length === 1}
              onClick={() => onChange(steps.filter((s) => s.id !== step.id))}
            >
              Remove
            </button>
          </li>
        ))}
      </ol>
      <button type="button" disabled={steps.length >= 50} onClick={() => onChange([...steps, newStep()])}>
        Add step
      </button>
    </fieldset>
  );
}
