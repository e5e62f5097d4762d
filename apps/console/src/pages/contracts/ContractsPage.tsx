import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useSession } from '../../session/session';
import { PageHeader, formatMs } from '../../ui/display';
import { EmptyState, NewButton, Notice } from '../../ui/feedback';
import { ListSection, PagedBody, usePagedList } from '../../ui/paging';
import { DataTable } from '../../ui/table';
import { bodyOf, ContractForm, draftOf, type ContractDraft } from './ContractForm';
import { contractKeys, type Contract, type CreatedContract } from './api';
import { CopyButton } from '../../ui/CopyButton';

/** `/contracts`: the tenant's action contracts, and a new one (whose secret is shown once, right after). */
export function ContractsPage() {
  const { tenantId, can } = useSession();
  const canWrite = can('actions:write');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedContract | null>(null);
  const openForm = () => {
    setCreated(null);
    setCreating(true);
  };
  return (
    <section className="contracts-page">
      <PageHeader
        title="Action contracts"
        description="Operations of your own backend that Hookline may call for you: signed, schema-checked and allowed only to the roles you name."
      >
        {canWrite && !creating && <NewButton label="New action contract" onClick={openForm} />}
      </PageHeader>
      {created && <CreatedSecret contract={created} onDone={() => setCreated(null)} />}
      {creating && (
        <NewContract
          tenantId={tenantId}
          onCreated={(contract) => {
            setCreating(false);
            setCreated(contract);
          }}
          onCancel={() => setCreating(false)}
        />
      )}
      <ContractList tenantId={tenantId} onNew={canWrite && !creating ? openForm : undefined} />
    </section>
  );
}

function NewContract({ tenantId, onCreated, onCancel }: { tenantId: string; onCreated: (c: CreatedContract) => void; onCancel: () => void }) {
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (draft: ContractDraft) => unwrap(api.POST('/v1/tenants/{tenantId}/action-contracts', { params: { path: { tenantId } }, body: bodyOf(draft) })),
    onSuccess: (contract) => {
      void queryClient.invalidateQueries({ queryKey: contractKeys.all(tenantId) });
      onCreated(contract);
    },
  });
  return (
    <ContractForm
      initial={draftOf()}
      title="New action contract"
      submitLabel="Create contract"
      pending={create.isPending}
      error={create.error}
      onSubmit={(draft) => create.mutate(draft)}
      onCancel={onCancel}
    />
  );
}

/** The one time a contract's secret is on screen without asking: right after it was made. */
function CreatedSecret({ contract, onDone }: { contract: CreatedContract; onDone: () => void }) {
  return (
    <Notice kind="success">
      <h2 className="contracts-notice-title">Contract {contract.name} created</h2>
      <p>
        Its signing secret, shown this once: your backend verifies each request with it, as a receiver verifies a delivery. Store it now; later only “Reveal
        secret” on the contract shows it again.
      </p>
      <p className="row">
        <code className="contracts-secret" aria-label="Signing secret">
          {contract.secret}
        </code>
        <CopyButton value={contract.secret} label="Copy secret" />
      </p>
      <p className="row">
        <Link to={`/contracts/${contract.id}`}>Open {contract.name}</Link>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </p>
    </Notice>
  );
}

function ContractList({ tenantId, onNew }: { tenantId: string; onNew?: () => void }) {
  const list = usePagedList(contractKeys.all(tenantId), (query) =>
    unwrap(api.GET('/v1/tenants/{tenantId}/action-contracts', { params: { path: { tenantId }, query } })),
  );
  return (
    <ListSection id="contracts-list-title" title="All contracts">
      <PagedBody
        list={list}
        what="action contracts"
        errorTitle="The contracts could not be loaded"
        moreLabel="Load more contracts"
        empty={
          <EmptyState title="No action contracts yet" action={onNew && <NewButton label="New action contract" onClick={onNew} />}>
            An action contract is a signed, role-checked call into your own backend: a URL, a method and the JSON Schema its input must match. People and agents
            invoke it through the API, and rules run it with an “invoke” action when an event matches.
          </EmptyState>
        }
      >
        {(contracts) => (
          <DataTable columns={['Name', 'Method and URL', 'Allowed roles', 'Timeout']}>
            {contracts.map((c) => (
              <ContractRow key={c.id} contract={c} />
            ))}
          </DataTable>
        )}
      </PagedBody>
    </ListSection>
  );
}

function ContractRow({ contract }: { contract: Contract }) {
  return (
    <tr>
      <td>
        <Link to={`/contracts/${contract.id}`}>{contract.name}</Link>
        {contract.description && <div className="muted">{contract.description}</div>}
      </td>
      <td className="contracts-url">
        <code>{contract.method}</code> <span className="mono">{contract.url}</span>
      </td>
      <td>{contract.allowedRoles.length > 0 ? contract.allowedRoles.join(', ') : <span className="muted">any key with actions:invoke</span>}</td>
      <td>{formatMs(contract.timeoutMs)}</td>
    </tr>
  );
}
