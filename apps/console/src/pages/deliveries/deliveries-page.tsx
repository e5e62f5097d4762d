import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useSession } from '../../session/session';
import { Badge, formatMs, formatTime, PageHeader } from '../../ui/display';
import { EmptyState, ErrorNotice, Loading } from '../../ui/feedback';
import { LoadMoreButton, rowsOf, usePagedList, type CursorQuery } from '../../ui/paging';
import { FilterForm, filterParams, hasFilters, readFilters, type Filters } from './filters';
import { endpointLabel, lastAttempt, StatusBadge, useEndpointList, type Delivery, type DeliveryList } from './model';
import { RecoverSection } from './recover';
import { DataTable } from '../../ui/table';

const PAGE_SIZE = 50;
const TAIL_EVERY_MS = 2000;

type Pages = InfiniteData<DeliveryList, string>;

/** `/deliveries`: the delivery log, filtered by the URL's search params, with live tail and, for one endpoint, recovery. */
export function DeliveriesPage() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readFilters(params), [params]);
  const { tenantId } = useSession();
  const list = useDeliveryList(filters);
  return (
    <>
      <PageHeader title="Delivery log" description="Every delivery made to your endpoints, newest first, with each attempt's request and response." />
      <FilterForm key={`${tenantId}?${params.toString()}`} filters={filters} error={list.error} onApply={(next) => setParams(filterParams(next))} />
      {filters.endpointId && <RecoverSection key={`${tenantId}/${filters.endpointId}`} endpointId={filters.endpointId} defaultSince={filters.since} />}
      <Results filters={filters} list={list} onClear={() => setParams({})} />
    </>
  );
}

function listQuery(tenantId: string, filters: Filters, page: CursorQuery) {
  return unwrap(api.GET('/v1/deliveries', { params: { query: { ...filters, tenantId, limit: PAGE_SIZE, ...page } } }));
}

function useDeliveryList(filters: Filters) {
  const { tenantId } = useSession();
  return usePagedList(['deliveries', tenantId, 'list', filters], (query) => listQuery(tenantId, filters, query));
}

function Results({ filters, list, onClear }: { filters: Filters; list: ReturnType<typeof useDeliveryList>; onClear(): void }) {
  const rows = rowsOf(list);
  return (
    <section aria-labelledby="deliveries-results-title">
      <div className="deliveries-results-head">
        <h2 id="deliveries-results-title">Deliveries</h2>
        <LiveTail filters={filters} enabled={list.isSuccess} />
      </div>
      {list.isPending ? (
        <Loading what="deliveries" />
      ) : !list.data ? (
        <ErrorNotice error={list.error} retry={() => list.refetch()} title="The delivery log could not be read" />
      ) : rows.length === 0 ? (
        <EmptyState
          title={hasFilters(filters) ? 'No deliveries match these filters' : 'No deliveries yet'}
          action={
            <div className="row deliveries-empty-actions">
              <Link className="button primary" to="/test">
                Open Test mode
              </Link>
              {hasFilters(filters) && (
                <button type="button" onClick={onClear}>
                  Clear filters
                </button>
              )}
            </div>
          }
        >
          Deliveries appear here when events reach a subscribed endpoint. Send an event to ingest, or a test delivery from Test mode, and it shows up within
          about a second.
        </EmptyState>
      ) : (
        <>
          <DeliveryTable rows={rows} />
          <div className="row deliveries-more">
            <span className="muted">
              {rows.length} {rows.length === 1 ? 'delivery' : 'deliveries'} shown
              {list.hasNextPage ? '' : ', the end of the log for these filters'}
            </span>
            <LoadMoreButton list={list} label="Load more" busyLabel="Load more" />
          </div>
          {list.isFetchingNextPage && <Loading what="more deliveries" />}
        </>
      )}
      {/* A failed next page (or refresh) keeps the rows already shown. */}
      {list.data && list.isError && (
        <ErrorNotice
          error={list.error}
          retry={() => (list.isFetchNextPageError ? list.fetchNextPage() : list.refetch())}
          title={list.isFetchNextPageError ? 'The next page could not be read' : 'The delivery log could not be refreshed'}
        />
      )}
    </section>
  );
}

function DeliveryTable({ rows }: { rows: Delivery[] }) {
  const endpoints = useEndpointList();
  const [params] = useSearchParams();
  return (
    <DataTable
      columns={['Time', 'Event type', 'Endpoint', 'Status', 'Attempts', 'Last response', 'Duration']}
      className="deliveries-table"
      labelledBy="deliveries-results-title"
    >
      {rows.map((d) => {
        const last = lastAttempt(d);
        return (
          <tr key={d.id}>
            <td className="deliveries-nowrap">
              {/* The filters travel along so the delivery page can lead back to this same view. */}
              <Link to={`/deliveries/${d.id}`} state={{ from: params.toString() }}>
                {formatTime(d.createdAt)}
              </Link>
            </td>
            <td>
              <span className="mono">{d.eventType}</span>
              {d.mode === 'test' && <Badge tone="info">test</Badge>}
              {d.rule && <Badge tone="neutral">rule</Badge>}
            </td>
            <td className="mono deliveries-endpoint">{endpointLabel(endpoints.data, d.endpointId)}</td>
            <td>
              <StatusBadge status={d.status} />
            </td>
            <td>{d.attemptCount}</td>
            <td>{d.lastResponseStatus ?? last?.failure?.kind ?? '—'}</td>
            <td className="deliveries-nowrap">{formatMs(last?.durationMs)}</td>
          </tr>
        );
      })}
    </DataTable>
  );
}

/**
 * Live tail: every 2 s the first page is read again; deliveries not shown yet
 * go on top, those shown are updated in place (a failing one turns dead or
 * succeeds), and a polite live region says how many arrived.
 */
function LiveTail({ filters, enabled }: { filters: Filters; enabled: boolean }) {
  const { tenantId } = useSession();
  const queryClient = useQueryClient();
  const [on, setOn] = useState(false);
  const [message, setMessage] = useState('');
  const [error, setError] = useState<unknown>(null);
  const active = on && enabled;

  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    // One read at a time: the next is scheduled once the last has answered, so a slow answer never piles up requests.
    const tick = async () => {
      try {
        const newest = await listQuery(tenantId, filters, {});
        if (stopped) return;
        let added = 0;
        queryClient.setQueryData<Pages>(['deliveries', tenantId, 'list', filters], (data) => {
          if (!data) return data;
          const merged = mergeNewest(data, newest.data);
          added = merged.added;
          return merged.data;
        });
        setError(null);
        if (added > 0) setMessage(`${added} new ${added === 1 ? 'delivery' : 'deliveries'} at ${new Date().toLocaleTimeString()}`);
      } catch (e) {
        if (!stopped) setError(e);
      }
      if (!stopped) timer = setTimeout(tick, TAIL_EVERY_MS);
    };
    timer = setTimeout(tick, TAIL_EVERY_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [active, tenantId, filters, queryClient]);

  const toggle = (next: boolean) => {
    setOn(next);
    setError(null);
    setMessage(next ? 'Live tail on: checking for new deliveries every 2 seconds' : 'Live tail off');
  };

  return (
    <div className="deliveries-tail">
      <label className="deliveries-switch">
        <input type="checkbox" checked={on} onChange={(e) => toggle(e.target.checked)} disabled={!enabled} />
        Live tail
      </label>
      <span className="muted" role="status" aria-live="polite">
        {message}
      </span>
      {error !== null && <ErrorNotice error={error} title="Live tail could not read the log; it keeps trying" />}
    </div>
  );
}

function mergeNewest(data: Pages, newest: Delivery[]): { data: Pages; added: number } {
  const byId = new Map(newest.map((d) => [d.id, d]));
  const shown = new Set<string>();
  const pages = data.pages.map((page) => ({
    ...page,
    data: page.data.map((d) => {
      shown.add(d.id);
      return byId.get(d.id) ?? d;
    }),
  }));
  const fresh = newest.filter((d) => !shown.has(d.id));
  if (fresh.length > 0 && pages.length > 0) pages[0] = { ...pages[0], data: [...fresh, ...pages[0].data] };
  return { data: { ...data, pages }, added: fresh.length };
}
