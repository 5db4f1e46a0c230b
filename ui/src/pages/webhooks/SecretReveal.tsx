// A signing secret, shown once (after create or regenerate) with a copy button and a warning.
import { CopyButton } from "../../components/CopyButton";

export function SecretReveal({ secret, onDone }: { secret: string; onDone?: () => void }) {
  return (
    <section className="secret card" aria-labelledby="secret-title">
      <h2 id="secret-title">Signing secret</h2>
      <p className="notice">Copy it now: it is shown only this once. Your endpoint uses it to verify each delivery's signature.</p>
      <div className="secret-row">
        <code data-testid="secret">{secret}</code>
        <CopyButton text={secret} label="Copy secret" />
      </div>
      {onDone && (
        <button type="button" className="primary" onClick={onDone}>
          I have saved it
        </button>
      )}
    </section>
  );
}
