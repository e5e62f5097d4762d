import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useSession } from '../../session/session';
import { PageHeader, formatMs, formatPercent, formatTime } from '../../ui/display';
import { EmptyState, ErrorNotice, Loading, Notice } from '../../ui/feedback';
import { ListSection, LoadMore, rowsOf, usePagedList } from '../../ui/paging';
import { keys, useEndpointStats, type CreatedEndpoint, type Endpoint } from './api';
import { EndpointForm } from './EndpointForm';
import { ChatToolBadge, EventTypes, SecretValue, StateSummary } from './parts';

const PAGE_SIZE = 25;

/** The tenant's endpoints with their health at a glance, and the way to add one. */
export function EndpointsPage() {
  const { tenantId } = useSession();
  // A fresh page per tenant: a form or a just-shown secret never carries over to another tenant.
  return <EndpointsList key={tenantId} tenantId={tenantId} />;
}

function EndpointsList({ tenantId }: { tenantId: string }) {
  const session = useSession();
  const canWrite = session.can('endpoints:write');
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedEndpoint | null>(null);
  const formId = useId();

  const list = usePagedList(keys.pages(tenantId), (query) =>
    unwrap(api.GET('/v1/tenants/{tenantId}/endpoints', { params: { path: { tenantId }, query: { limit: PAGE_SIZE, ...query } } })),
  );
  const endpoints = rowsOf(list);
  const empty = list.isSuccess && endpoints.length === 0;

  const newButton = (
    <button
      type="button"
      className="primary"
      aria-expanded={creating}
      aria-controls={formId}
      onClick={() => {
        setCreated(null);
        setCreating(true);
      }}
    >
      New endpoint
    </button>
  );

  return (
    <div className="endpoints-page">
      <PageHeader title="Endpoints" description="The URLs Hookline delivers this tenant’s events to, and how each is doing.">
        {canWrite && !empty && !creating && newButton}
      </PageHeader>
      {created && <CreatedNotice endpoint={created} onDone={() => setCreated(null)} />}
      <div id={formId}>
        {creating && (
          <EndpointForm
            tenantId={tenantId}
            onCancel={() => setCreating(false)}
            onCreated={(endpoint) => {
              setCreating(false);
              setCreated(endpoint);
              void queryClient.invalidateQueries({ queryKey: keys.pages(tenantId) });
            }}
          />
        )}
      </div>
      <ListSection id={`${formId}-list`} title="Endpoint list">
        {list.isPending ? (
          <Loading what="endpoints" />
        ) : list.isError && endpoints.length === 0 ? (
          <ErrorNotice error={list.error} title="The endpoints could not be loaded" retry={() => void list.refetch()} />
        ) : empty ? (
          !creating && (
            <EmptyState title="No endpoints yet" action={canWrite ? newButton : <p className="muted">Creating one takes a key with endpoints:write.</p>}>
              An endpoint is a URL of yours that Hookline sends events to: each event type it subscribes to arrives there as a signed POST, retried until your
              server accepts it. Create one to start receiving events.
            </EmptyState>
          )
        ) : (
          <>
            <EndpointTable endpoints={endpoints} tenantId={tenantId} />
            {list.isFetchNextPageError && <ErrorNotice error={list.error} title="More endpoints could not be loaded" retry={() => void list.fetchNextPage()} />}
            <LoadMore list={list} label="Load more" busyLabel="Loading more…" />
          </>
        )}
      </ListSection>
    </div>
  );
}

function EndpointTable({ endpoints, tenantId }: { endpoints: Endpoint[]; tenantId: string }) {
  return (
    <div className="table-wrap">
      <table className="endpoints-table">
        <thead>
          <tr>
            <th scope="col">URL</th>
            <th scope="col">Description</th>
            <th scope="col">Event types</th>
            <th scope="col">State</th>
            <th scope="col">
              Success rate <span className="endpoints-th-sub">(1 h / 24 h)</span>
            </th>
            <th scope="col">
              p95 latency <span className="endpoints-th-sub">(1 h / 24 h)</span>
            </th>
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          {endpoints.map((e) => (
            <tr key={e.id}>
              <td className="endpoints-url">
                <Link to={`/endpoints/${e.id}`}>{e.url}</Link>
                {e.chat && <ChatToolBadge tool={e.chat.tool} />}
              </td>
              <td>{e.description || <span className="muted">—</span>}</td>
              <td>
                <EventTypes types={e.eventTypes} />
              </td>
              <td>
                <StateSummary state={e.state} />
              </td>
              <StatsCells tenantId={tenantId} id={e.id} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One row's health, fetched per endpoint: "—" until it arrives, and where the figure has nothing to go on. */
function StatsCells({ tenantId, id }: { tenantId: string; id: string }) {
  const stats = useEndpointStats(tenantId, id);
  if (stats.isError)
    return (
      <td colSpan={3} className="muted">
        Health unavailable ({stats.error.message})
      </td>
    );
  const s = stats.data;
  const busy = stats.isPending || undefined;
  return (
    <>
      <td aria-busy={busy}>
        {formatPercent(s?.lastHour.successRate)} / {formatPercent(s?.lastDay.successRate)}
      </td>
      <td aria-busy={busy}>
        {formatMs(s?.lastHour.latencyMs?.p95)} / {formatMs(s?.lastDay.latencyMs?.p95)}
      </td>
      <td aria-busy={busy}>
        {s?.lastError ? (
          <>
            <span className="endpoints-error-kind">{s.lastError.status !== null ? `HTTP ${s.lastError.status}` : s.lastError.kind}</span>
            {s.lastError.message && <span className="endpoints-error-message"> {s.lastError.message}</span>}
            <br />
            <span className="muted">{formatTime(s.lastError.at)}</span>
          </>
        ) : (
          '—'
        )}
      </td>
    </>
  );
}

/** The new endpoint's secret, shown this once, and where to go next. */
function CreatedNotice({ endpoint, onDone }: { endpoint: CreatedEndpoint; onDone(): void }) {
  const titleId = useId();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <section ref={ref} className="panel endpoints-created" aria-labelledby={titleId} tabIndex={-1}>
      <h2 id={titleId}>Endpoint created</h2>
      <p>
        <strong className="endpoints-url">{endpoint.url}</strong>
        {endpoint.chat && <ChatToolBadge tool={endpoint.chat.tool} />} is ready.{' '}
        {endpoint.chat
          ? 'Chat tools ignore the signature, but a proxy or stand-in receiver in front of one can verify each delivery with its signing secret:'
          : 'Its signing secret is what your receiver verifies each delivery with:'}
      </p>
      <SecretValue value={endpoint.secret} label="Signing secret" copyLabel="Copy secret" />
      <Notice kind="warning">
        Copy the secret now: it will not be shown again. Later it can only be revealed on purpose, with “Reveal secret” on the endpoint’s page.
      </Notice>
      {endpoint.chat && endpoint.eventTypes.length === 0 && (
        <p>It subscribes to no event type: a rule’s chat action posts to it, or edit it to give event types.</p>
      )}
      <div className="row">
        <Link className="button primary" to={`/endpoints/${endpoint.id}`}>
          Open the endpoint
        </Link>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  );
}
