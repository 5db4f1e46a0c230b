// Times in the browser's locale, the exact ISO value on hover.
export function Time({ at }: { at: string | null | undefined }) {
  if (!at) return <span>—</span>;
  return (
    <time dateTime={at} title={at}>
      {new Date(at).toLocaleString()}
    </time>
  );
}
