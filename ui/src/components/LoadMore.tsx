// "Load more" for cursor-paged lists (useInfiniteQuery).
export function LoadMore({ hasNext, loading, onClick }: { hasNext: boolean; loading: boolean; onClick: () => void }) {
  if (!hasNext) return null;
  return (
    <button type="button" className="load-more" disabled={loading} onClick={onClick}>
      {loading ? "Loading…" : "Load more"}
    </button>
  );
}
