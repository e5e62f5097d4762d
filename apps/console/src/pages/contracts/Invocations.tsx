import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { Badge, formatMs, formatTime } from '../../ui/display';
import { EmptyState, ErrorNotice, Loading } from '../../ui/feedback';
import { contractKeys, type Contract, type Invocation } from './api';

const TONE = { succeeded: 'good', failed: 'bad', refused: 'warn' } as const;

/** The audit, newest first: every call, refusals included; the input itself is never kept, only its digest. */
export function Invocations({ contract, tenantId }: { contract: Contract; tenantId: string }) {
  const audit = useAudit(tenantId, contract.id);
  return (
    <section aria-labelledby="contract-invocations">
      <div className="row contracts-section-head">
        <h2 id="contract-invocations">Invocations</h2>
        <button type="button" onClick={() => void audit.refetch()} disabled={audit.isFetching}>
          Refresh invocations
        </button>
      </div>
      <AuditBody audit={audit} />
    </section>
  );
}

function useAudit(tenantId: string, id: string) {
  return useInfiniteQuery({
    queryKey: contractKeys.invocations(tenantId, id),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/tenants/{tenantId}/action-contracts/{id}/invocations', {
          params: { path: { tenantId, id }, query: pageParam ? { cursor: pageParam } : {} },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

function AuditBody({ audit }: { audit: ReturnType<typeof useAudit> }) {
  if (audit.isPending) return <Loading what="invocations" />;
  if (audit.isError) return <ErrorNotice error={audit.error} retry={() => void audit.refetch()} title="The invocations could not be loaded" />;
  const rows = audit.data.pages.flatMap((p) => p.data);
  if (rows.length === 0) {
    return (
      <EmptyState title="No invocations yet">
        Invoke it above, through the API (POST …/invoke), or from a rule with an “invoke” action; each call, allowed or refused, is listed here.
      </EmptyState>
    );
  }
  return (
    <>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Input digest</th>
              <th scope="col">Status</th>
              <th scope="col">Error</th>
              <th scope="col">Duration</th>
              <th scope="col">Attempts</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((i) => (
              <InvocationRow key={i.id} invocation={i} />
            ))}
          </tbody>
        </table>
      </div>
      {audit.hasNextPage && (
        <p>
          <button type="button" onClick={() => void audit.fetchNextPage()} disabled={audit.isFetchingNextPage}>
            {audit.isFetchingNextPage ? 'Loading…' : 'Load more invocations'}
          </button>
        </p>
      )}
    </>
  );
}

function InvocationRow({ invocation: i }: { invocation: Invocation }) {
  return (
    <tr>
      <td>{formatTime(i.createdAt)}</td>
      <td>
        <Caller caller={i.caller} />
        {i.origin !== 'api' && (
          <>
            {' '}
            <Badge tone="info">{i.origin}</Badge>
          </>
        )}
        {i.idempotencyKey && <div className="muted">key {i.idempotencyKey}</div>}
      </td>
      <td>
        <code className="contracts-digest" title={i.inputDigest}>
          {i.inputDigest.length > 23 ? `${i.inputDigest.slice(0, 23)}…` : i.inputDigest}
        </code>
      </td>
      <td>
        <Badge tone={TONE[i.status]}>{i.status}</Badge>
        {i.httpStatus !== null && i.httpStatus !== undefined && <span className="muted"> {i.httpStatus}</span>}
      </td>
      <td>{i.error ? <code>{i.error}</code> : '—'}</td>
      <td>{formatMs(i.durationMs)}</td>
      <td>{i.attempts}</td>
    </tr>
  );
}

/** An API key id, or `rule:<rule id>/<action key>`, which links to the rule. */
function Caller({ caller }: { caller: string }) {
  const rule = /^rule:([^/]+)\/(.+)$/.exec(caller);
  if (!rule) return <span className="mono">{caller}</span>;
  return (
    <span>
      rule <Link to={`/rules/${rule[1]}`}>{rule[1].slice(0, 8)}</Link> / {rule[2]}
    </span>
  );
}
