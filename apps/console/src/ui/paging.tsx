import { useInfiniteQuery, type InfiniteData, type QueryKey, type UseInfiniteQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorNotice, Loading } from './feedback';

/** One page of a list as the API serves it: its rows, and the cursor of the next page (null on the last). */
export interface CursorPage<T> {
  data: T[];
  nextCursor: string | null;
}

/** The query part that asks for a page: nothing for the first, `{ cursor }` after. */
export type CursorQuery = { cursor?: string };

export type PagedList<T> = UseInfiniteQueryResult<InfiniteData<CursorPage<T>>>;

/**
 * A list the API serves in cursor pages, read a page at a time: the first on
 * mount, each next one on "Load more" (`fetchNextPage`).
 */
export function usePagedList<P extends CursorPage<unknown>>(queryKey: QueryKey, fetchPage: (query: CursorQuery) => Promise<P>) {
  return useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam ? { cursor: pageParam } : {}),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/** The rows of every page read so far, in order. */
export function rowsOf<T>(list: { data?: InfiniteData<CursorPage<T>> }): T[] {
  return list.data?.pages.flatMap((p) => p.data) ?? [];
}

/** What a "Load more" button needs of a paged query. */
interface MorePages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/** The button that reads the next page, while there is one; `busyLabel` shows while it is read. */
export function LoadMoreButton({ list, label, busyLabel = 'Loading…' }: { list: MorePages; label: string; busyLabel?: string }) {
  if (!list.hasNextPage) return null;
  return (
    <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
      {list.isFetchingNextPage ? busyLabel : label}
    </button>
  );
}

/** `LoadMoreButton` as a paragraph of its own under a table. */
export function LoadMore(props: { list: MorePages; label: string; busyLabel?: string }) {
  if (!props.list.hasNextPage) return null;
  return (
    <p>
      <LoadMoreButton {...props} />
    </p>
  );
}

/**
 * A paged list's body: loading, the error with a retry, `empty` when it has
 * no rows, else `children` of every row read so far and "Load more" (`moreLabel`).
 */
export function PagedBody<T>({
  list,
  what,
  errorTitle,
  empty,
  moreLabel,
  children,
}: {
  list: PagedList<T>;
  /** Completes "Loading …". */
  what: string;
  errorTitle: string;
  empty: ReactNode;
  moreLabel: string;
  children: (rows: T[]) => ReactNode;
}) {
  if (list.isPending) return <Loading what={what} />;
  if (list.isError) return <ErrorNotice error={list.error} retry={() => void list.refetch()} title={errorTitle} />;
  const rows = rowsOf(list);
  if (rows.length === 0) return empty;
  return (
    <>
      {children(rows)}
      <LoadMore list={list} label={moreLabel} />
    </>
  );
}

/** A section heading with the button that reads its paged list again from the first page. */
export function RefreshHeading({
  id,
  title,
  list,
  refreshLabel,
}: {
  id: string;
  title: string;
  list: { refetch: () => Promise<unknown>; isFetching: boolean };
  refreshLabel: string;
}) {
  return (
    <div className="row section-head">
      <h2 id={id}>{title}</h2>
      <button type="button" onClick={() => void list.refetch()} disabled={list.isFetching}>
        {refreshLabel}
      </button>
    </div>
  );
}

/** Every page of a list, one after the other, up to `maxPages` (a bound against a runaway cursor). */
export async function everyPage<T>(fetchPage: (cursor: string | undefined) => Promise<CursorPage<T>>, maxPages = 20): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i += 1) {
    const answer = await fetchPage(cursor);
    out.push(...answer.data);
    if (!answer.nextCursor) break;
    cursor = answer.nextCursor;
  }
  return out;
}

/** A page's list under a heading for screen readers only: the page title already says what the list is. */
export function ListSection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id} className="sr-only">
        {title}
      </h2>
      {children}
    </section>
  );
}
