// Shared queries: the event catalog, one webhook, and cursor-paged lists.
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, query } from "./client";
import type { EventType, Page, Webhook } from "./types";

export const useEventTypes = () =>
  useQuery({
    queryKey: ["event-types"],
    queryFn: () => api<{ data: EventType[] }>("/webhooks/event-types").then((r) => r.data),
    staleTime: 5 * 60_000,
  });

/** One webhook, shared by its page and its edit form (one cache entry); idle without an id. */
export const useWebhook = (id: string | undefined) =>
  useQuery({ queryKey: ["webhook", id], queryFn: () => api<Webhook>(`/webhooks/${id}`), enabled: !!id });

/**
 * A newest-first list of `path` with `params` (its filters; empty ones are left out), paged with
 * `cursor`. While `liveWhile` holds for the rows (e.g. some delivery is pending) it refetches
 * every 2 s, so changes appear without reloading.
 */
export function usePagedList<T>(key: unknown[], path: string, params: Parameters<typeof query>[0], liveWhile?: (items: T[]) => boolean) {
  const result = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => api<Page<T>>(`${path}${query({ ...params, cursor: pageParam })}`),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (q) => (liveWhile?.(q.state.data?.pages.flatMap((p) => p.data) ?? []) ? 2000 : false),
  });
  return { ...result, items: result.data?.pages.flatMap((p) => p.data) ?? [] };
}

export const resourceOf = (type: string) => type.split(".")[0] ?? type;
