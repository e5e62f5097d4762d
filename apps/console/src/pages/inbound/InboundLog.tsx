import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { Badge, JsonBlock, formatTime } from '../../ui/display';
import { EmptyState } from '../../ui/feedback';
import { PagedBody, RefreshHeading, usePagedList } from '../../ui/paging';
import { DataTable } from '../../ui/table';
import { formatBytes, sourceKeys, type LogEntry, type Source } from './providers';

const TONE = { accepted: 'good', handshake: 'info', refused: 'bad' } as const;

/** Every request the source received, newest first: what was accepted (and became which events), and what was refused and why. */
export function InboundLog({ source, tenantId }: { source: Source; tenantId: string }) {
  const log = usePagedList(sourceKeys.log(tenantId, source.id), (query) =>
    unwrap(api.GET('/v1/tenants/{tenantId}/inbound-sources/{id}/log', { params: { path: { tenantId, id: source.id }, query } })),
  );
  return (
    <section aria-labelledby="inbound-log-title">
      <RefreshHeading id="inbound-log-title" title="Inbound log" list={log} refreshLabel="Refresh log" />
      <PagedBody
        list={log}
        what="the inbound log"
        errorTitle="The inbound log could not be loaded"
        moreLabel="Load more requests"
        empty={
          <EmptyState title="No callbacks received yet">
            Configure the inbound URL at the provider, as the steps above say; each request it sends, accepted or refused, then shows here.
          </EmptyState>
        }
      >
        {(entries) => (
          <DataTable columns={['Received', 'Outcome', 'Answered', 'Size', 'Events']}>
            {entries.map((e) => (
              <LogRow key={e.id} entry={e} />
            ))}
          </DataTable>
        )}
      </PagedBody>
    </section>
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
