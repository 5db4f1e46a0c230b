// A delivery's attempts, oldest first: status code, duration, error and response snippet.
import type { Attempt } from "../api/types";
import { Time } from "./Time";

export function AttemptTimeline({ attempts }: { attempts: Attempt[] }) {
  if (attempts.length === 0) return <p className="muted">No attempt yet: the first one is on its way.</p>;
  return (
    <ol className="timeline" aria-label="Attempts">
      {attempts.map((a) => {
        const ok = a.statusCode !== null && a.statusCode >= 200 && a.statusCode < 300;
        return (
          <li key={a.attempt} className={ok ? "ok" : "fail"} data-testid="attempt">
            <div className="timeline-head">
              <strong>Attempt {a.attempt}</strong>
              <span className={`badge ${ok ? "good" : "bad"}`}>{a.statusCode ?? "no answer"}</span>
              <span>{a.durationMs} ms</span>
              <Time at={a.at} />
            </div>
            {a.error && <p className="muted">{a.error}</p>}
            {a.responseSnippet && <pre className="snippet">{a.responseSnippet}</pre>}
          </li>
        );
      })}
    </ol>
  );
}
