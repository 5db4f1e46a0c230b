// Loading, empty and error states, the same on every page.
import type { ReactNode } from "react";
import { problemDetails, problemInWords } from "../api/words";

export const Loading = ({ what = "Loading" }: { what?: string }) => (
  <p className="state" role="status" aria-live="polite">
    {what}…
  </p>
);

export const Empty = ({ children }: { children: ReactNode }) => <div className="state empty">{children}</div>;

export function ErrorNote({ error, conflict, onRetry }: { error: unknown; conflict?: string; onRetry?: () => void }) {
  const details = problemDetails(error);
  return (
    <div className="error-note" role="alert">
      <p>{problemInWords(error, conflict)}</p>
      {details.length > 0 && (
        <ul>
          {details.map((d) => (
            <li key={`${d.path}: ${d.message}`}>{d.path ? `${d.path}: ${d.message}` : d.message}</li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Reload
        </button>
      )}
    </div>
  );
}
