// The body of every cursor-paged list: loading, error (with a reload), empty, the rows, and
// "Load more" while there is a next page.
import type { ReactNode } from "react";
import type { usePagedList } from "../api/queries";
import { LoadMore } from "./LoadMore";
import { Empty, ErrorNote, Loading } from "./States";

interface Props<T> {
  list: ReturnType<typeof usePagedList<T>>;
  what: string;
  empty: ReactNode;
  children: (items: T[]) => ReactNode;
}

export function PagedList<T>({ list, what, empty, children }: Props<T>) {
  if (list.isPending) return <Loading what={`Loading ${what}`} />;
  if (list.isError) return <ErrorNote error={list.error} onRetry={() => list.refetch()} />;
  if (list.items.length === 0) return <Empty>{empty}</Empty>;
  return (
    <>
      {children(list.items)}
      <LoadMore hasNext={list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => list.fetchNextPage()} />
    </>
  );
}
