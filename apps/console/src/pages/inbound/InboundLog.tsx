import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { Badge, JsonBlock, formatTime } from '../../ui/display';
import { EmptyState, ErrorNotice, Loading } from '../../ui/feedback';
import { formatBytes, sourceKeys, type LogEntry, type Source } from './providers';

const TONE = { accepted: 'good', handshake: 'info', refused: 'bad' } as const;

function useLog(tenantId: string, id: string) {
  return useInfiniteQuery({
    queryKey: sourceKeys.log(tenantId, id),
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/tenants/{tenantId}/inbound-sources/{id}/log', { params: { path: { tenantId, id }, query: pageParam ? { cursor: pageParam } : {} } })),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/** Every request the source received, newest first: what was accepted (and became which events), and what was refused and why. */
export function InboundLog({ source, tenantId }: { source: Source; tenantId: string }) {
  const log = useLog(tenantId, source.id);
  return (
    <section aria-labelledby="inbound-log-title">
      <div className="row inbound-section-head">
        <h2 id="inbound-log-title">Inbound log</h2>
        <button type="button" onClick={() => void log.refetch()} disabled={log.isFetching}>
          Refresh log
        </button>
      </div>
      <LogBody log={log} />
    </section>
  );
}

function LogBody({ log }: { log: ReturnType<typeof useLog> }) {
  if (log.isPending) return <Loading what="the inbound log" />;
  if (log.isError) return <ErrorNotice error={log.error} retry={() => void log.refetch()} title="The inbound log could not be loaded" />;
  const entries = log.data.pages.flatMap((p) => p.data);
  if (entries.length === 0) {
    return (
      <EmptyState title="No callbacks received yet">
        Configure the inbound URL at the provider, as the steps above say; each request it sends, accepted or refused, then shows here.
      </EmptyState>
    );
  }
  return (
    <>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">Outcome</th>
              <th scope="col">Answered</th>
              <th scope="col">Size</th>
              <th scope="col">Events</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <LogRow key={e.id} entry={e} />
            ))}
          </tbody>
        </table>
      </div>
      {log.hasNextPage && (
        <p>
          <button type="button" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
            {log.isFetchingNextPage ? 'Loading…' : 'Load more requests'}
          </button>
        </p>
      )}
    </>
  );
}

function LogRow({ entry: e }: { entry: LogEntry }) {
  return (
    <tr>
      <td className="inbound-nowrap">{formatTime(e.receivedAt)}</td>
      <td>
        <Badge tone={TONE[e.outcome]}>{e.outcome}</Badge>
        {e.reason && <code className="inbound-reason">{e.reason}</code>}
        {e.detail && <div className="muted">{e.detail}</div>}
      </td>
      <td>{e.status}</td>
      <td className="inbound-nowrap">
        {formatBytes(e.size)}
        {e.body !== null && e.body !== undefined && (
          <details className="inbound-body">
            <summary>Body</summary>
            <JsonBlock value={e.body} label="Request body" />
          </details>
        )}
      </td>
      <td>
        {e.eventIds.length === 0 ? (
          '—'
        ) : (
          <ul className="inbound-events">
            {e.eventIds.map((id) => (
              <li key={id}>
                <Link to={`/deliveries?eventId=${encodeURIComponent(id)}`} aria-label={`Deliveries of event ${id}`}>
                  <code>{id}</code>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}
