import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { Badge, formatMs, formatTime } from '../../ui/display';
import { EmptyState } from '../../ui/feedback';
import { PagedBody, RefreshHeading, usePagedList } from '../../ui/paging';
import { DataTable } from '../../ui/table';
import { contractKeys, type Contract, type Invocation } from './api';

const TONE = { succeeded: 'good', failed: 'bad', refused: 'warn' } as const;

/** The audit, newest first: every call, refusals included; the input itself is never kept, only its digest. */
export function Invocations({ contract, tenantId }: { contract: Contract; tenantId: string }) {
  const audit = usePagedList(contractKeys.invocations(tenantId, contract.id), (query) =>
    unwrap(api.GET('/v1/tenants/{tenantId}/action-contracts/{id}/invocations', { params: { path: { tenantId, id: contract.id }, query } })),
  );
  return (
    <section aria-labelledby="contract-invocations">
      <RefreshHeading id="contract-invocations" title="Invocations" list={audit} refreshLabel="Refresh invocations" />
      <PagedBody
        list={audit}
        what="invocations"
        errorTitle="The invocations could not be loaded"
        moreLabel="Load more invocations"
        empty={
          <EmptyState title="No invocations yet">
            Invoke it above, through the API (POST …/invoke), or from a rule with an “invoke” action; each call, allowed or refused, is listed here.
          </EmptyState>
        }
      >
        {(rows) => (
          <DataTable columns={['When', 'Who', 'Input digest', 'Status', 'Error', 'Duration', 'Attempts']}>
            {rows.map((i) => (
              <InvocationRow key={i.id} invocation={i} />
            ))}
          </DataTable>
        )}
      </PagedBody>
    </section>
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
