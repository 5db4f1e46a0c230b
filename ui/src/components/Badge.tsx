// A status in words and colour (the colour is never the only signal).
const TONES: Record<string, string> = {
  active: "good",
  succeeded: "good",
  completed: "good",
  pending: "wait",
  in_progress: "wait",
  disabled: "bad",
  failed: "bad",
  cancelled: "muted",
};

export const Badge = ({ status }: { status: string }) => <span className={`badge ${TONES[status] ?? "muted"}`}>{status.replace("_", " ")}</span>;
