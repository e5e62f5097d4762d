import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useSession } from '../../session/session';
import { JsonBlock, PageHeader, formatMs, formatTime } from '../../ui/display';
import { ErrorNotice, Loading } from '../../ui/feedback';
import { bodyOf, ContractForm, draftOf, type ContractDraft } from './ContractForm';
import { contractKeys, SCHEMES, type Contract } from './api';
import { CopyButton } from '../../ui/CopyButton';
import { Invocations } from './Invocations';
import { InvokePanel } from './InvokePanel';
import { DeletePanel, useDeleteAndLeave } from '../../ui/ConfirmPanel';

/** `/contracts/:id`: one contract, its secret on request, a way to invoke it, and its audit. */
export function ContractPage() {
  const { id = '' } = useParams();
  const { tenantId, can } = useSession();
  const contract = useQuery({
    queryKey: contractKeys.one(tenantId, id),
    queryFn: () => unwrap(api.GET('/v1/tenants/{tenantId}/action-contracts/{id}', { params: { path: { tenantId, id } } })),
  });
  const [mode, setMode] = useState<'view' | 'edit' | 'delete'>('view');

  if (contract.isPending) return <Loading what="the contract" />;
  if (contract.isError) {
    return (
      <section className="contracts-page">
        <PageHeader title="Action contract" />
        <ErrorNotice error={contract.error} retry={() => void contract.refetch()} title="The contract could not be loaded" />
        <p>
          <Link to="/contracts">All action contracts</Link>
        </p>
      </section>
    );
  }
  const c = contract.data;
  const canWrite = can('actions:write');
  return (
    <section className="contracts-page">
      <p className="back-link">
        <Link to="/contracts">← Action contracts</Link>
      </p>
      <PageHeader title={c.name} description={c.description || undefined}>
        {canWrite && mode === 'view' && (
          <>
            <button type="button" onClick={() => setMode('edit')}>
              Edit
            </button>
            <button type="button" className="danger" onClick={() => setMode('delete')}>
              Delete
            </button>
          </>
        )}
      </PageHeader>
      {mode === 'delete' && <DeleteContract contract={c} tenantId={tenantId} onCancel={() => setMode('view')} />}
      {mode === 'edit' && <EditContract contract={c} tenantId={tenantId} onDone={() => setMode('view')} />}
      <div className="grid-2">
        <Facts contract={c} />
        {canWrite && <SecretPanel contract={c} tenantId={tenantId} />}
      </div>
      <section className="panel" aria-labelledby="contract-schemas">
        <h2 id="contract-schemas">Schemas</h2>
        <div className="grid-2">
          <div>
            <h3>Input</h3>
            <JsonBlock value={c.inputSchema} label="Input JSON Schema" />
          </div>
          <div>
            <h3>Output</h3>
            {c.outputSchema ? (
              <JsonBlock value={c.outputSchema} label="Output JSON Schema" />
            ) : (
              <p className="muted">None: your backend's answer is passed on unchecked (its JSON, or its text).</p>
            )}
          </div>
        </div>
      </section>
      {can('actions:invoke') && <InvokePanel key={c.version} contract={c} tenantId={tenantId} />}
      <Invocations contract={c} tenantId={tenantId} />
    </section>
  );
}

function Facts({ contract: c }: { contract: Contract }) {
  return (
    <section className="panel" aria-labelledby="contract-facts">
      <h2 id="contract-facts">Details</h2>
      <dl className="facts">
        <dt>Method</dt>
        <dd>
          <code>{c.method}</code>
        </dd>
        <dt>URL</dt>
        <dd className="mono">{c.url}</dd>
        <dt>Allowed roles</dt>
        <dd>{c.allowedRoles.length > 0 ? c.allowedRoles.join(', ') : 'any key with actions:invoke'}</dd>
        <dt>Timeout</dt>
        <dd>{formatMs(c.timeoutMs)}</dd>
        <dt>Signature schemes</dt>
        <dd>{c.signatureSchemes.map((s) => SCHEMES.find((k) => k.value === s)?.label ?? s).join(', ')}</dd>
        <dt>Version</dt>
        <dd>{c.version}</dd>
        <dt>Created</dt>
        <dd>{formatTime(c.createdAt)}</dd>
        <dt>Updated</dt>
        <dd>{formatTime(c.updatedAt)}</dd>
        <dt>Id</dt>
        <dd className="mono">{c.id}</dd>
      </dl>
    </section>
  );
}

/** The secret is read from the API only when asked for, and forgotten again on "Hide secret" or on leaving the page. */
function SecretPanel({ contract, tenantId }: { contract: Contract; tenantId: string }) {
  const reveal = useMutation({
    mutationFn: () => unwrap(api.GET('/v1/tenants/{tenantId}/action-contracts/{id}/secret', { params: { path: { tenantId, id: contract.id } } })),
  });
  return (
    <section className="panel" aria-labelledby="contract-secret">
      <h2 id="contract-secret">Signing secret</h2>
      <p className="muted">Your backend verifies each request with it (libs/verify or any Standard Webhooks library), as a receiver verifies a delivery.</p>
      {reveal.data ? (
        <div className="row">
          <code className="contracts-secret" aria-label="Signing secret">
            {reveal.data.secret}
          </code>
          <CopyButton value={reveal.data.secret} label="Copy secret" />
          <button type="button" onClick={() => reveal.reset()}>
            Hide secret
          </button>
        </div>
      ) : (
        <button type="button" onClick={() => reveal.mutate()} disabled={reveal.isPending}>
          {reveal.isPending ? 'Revealing…' : 'Reveal secret'}
        </button>
      )}
      {reveal.isError && <ErrorNotice error={reveal.error} title="The secret could not be read" />}
    </section>
  );
}

function EditContract({ contract, tenantId, onDone }: { contract: Contract; tenantId: string; onDone: () => void }) {
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (draft: ContractDraft) =>
      unwrap(api.PUT('/v1/tenants/{tenantId}/action-contracts/{id}', { params: { path: { tenantId, id: contract.id } }, body: bodyOf(draft) })),
    onSuccess: (saved) => {
      queryClient.setQueryData(contractKeys.one(tenantId, contract.id), saved);
      void queryClient.invalidateQueries({ queryKey: contractKeys.all(tenantId) });
      onDone();
    },
  });
  return (
    <ContractForm
      initial={draftOf(contract)}
      title={`Edit ${contract.name}`}
      submitLabel="Save contract"
      pending={save.isPending}
      error={save.error}
      onSubmit={(draft) => save.mutate(draft)}
      onCancel={onDone}
    />
  );
}

function DeleteContract({ contract, tenantId, onCancel }: { contract: Contract; tenantId: string; onCancel: () => void }) {
  const remove = useDeleteAndLeave(
    () => unwrap(api.DELETE('/v1/tenants/{tenantId}/action-contracts/{id}', { params: { path: { tenantId, id: contract.id } } })),
    contractKeys.all(tenantId),
    '/contracts',
  );
  return (
    <DeletePanel
      id="contract-delete"
      title={`Delete ${contract.name}?`}
      confirmLabel="Delete contract"
      onConfirm={() => remove.mutate()}
      onCancel={onCancel}
      pending={remove.isPending}
      error={remove.error}
      errorTitle="The contract was not deleted"
    >
      <p>It can be invoked no more: calls through the API, and the invoke actions of rules naming it, fail from now on.</p>
    </DeletePanel>
  );
}
