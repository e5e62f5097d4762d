import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useSession } from '../../session/session';
import { Badge, PageHeader } from '../../ui/display';
import { EmptyState, NewButton } from '../../ui/feedback';
import { ListSection, PagedBody, usePagedList } from '../../ui/paging';
import { DataTable } from '../../ui/table';
import { IngestAddressSetting, InboundUrl } from './InboundUrl';
import { providerInfo, sourceKeys, type Source } from './providers';
import { bodyOf, draftOf, SourceForm, type SourceDraft } from './SourceForm';

/** `/inbound`: the URLs providers call, one source per provider account, and a new one. */
export function InboundSourcesPage() {
  const { tenantId, can } = useSession();
  const canWrite = can('inbound:write');
  const [creating, setCreating] = useState(false);
  return (
    <section className="inbound-page">
      <PageHeader
        title="Inbound sources"
        description="Webhooks your providers send to Hookline: each is verified the way the provider signs it and becomes an event for your rules and endpoints."
      >
        {canWrite && !creating && <NewButton label="New inbound source" onClick={() => setCreating(true)} />}
      </PageHeader>
      {creating && <NewSource tenantId={tenantId} onCancel={() => setCreating(false)} />}
      <ListSection id="inbound-list-title" title="All sources">
        <SourceList tenantId={tenantId} onNew={canWrite && !creating ? () => setCreating(true) : undefined} />
      </ListSection>
    </section>
  );
}

/** Once made, the source's own page is the next step: its URL to give the provider and how to set it up there. */
function NewSource({ tenantId, onCancel }: { tenantId: string; onCancel: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: (draft: SourceDraft) => unwrap(api.POST('/v1/tenants/{tenantId}/inbound-sources', { params: { path: { tenantId } }, body: bodyOf(draft) })),
    onSuccess: (source) => {
      void queryClient.invalidateQueries({ queryKey: sourceKeys.all(tenantId) });
      queryClient.setQueryData(sourceKeys.one(tenantId, source.id), source);
      void navigate(`/inbound/${source.id}`, { state: { created: true } });
    },
  });
  return (
    <SourceForm
      initial={draftOf()}
      title="New inbound source"
      submitLabel="Create source"
      pending={create.isPending}
      error={create.error}
      onSubmit={(draft) => create.mutate(draft)}
      onCancel={onCancel}
    />
  );
}

function SourceList({ tenantId, onNew }: { tenantId: string; onNew?: () => void }) {
  const list = usePagedList(sourceKeys.all(tenantId), (query) =>
    unwrap(api.GET('/v1/tenants/{tenantId}/inbound-sources', { params: { path: { tenantId }, query } })),
  );
  return (
    <PagedBody
      list={list}
      what="inbound sources"
      errorTitle="The sources could not be loaded"
      moreLabel="Load more sources"
      empty={
        <EmptyState title="No inbound sources yet" action={onNew && <NewButton label="New inbound source" onClick={onNew} />}>
          An inbound source is a URL on Hookline for one provider’s webhooks (Stripe, GitHub, Twilio, SendGrid, WhatsApp, …). Hookline checks each callback’s
          signature exactly as the provider signs it, and turns it into an event your rules and endpoints receive, so no team writes signature checks by hand.
        </EmptyState>
      }
    >
      {(sources) => (
        <>
          <IngestAddressSetting />
          <DataTable columns={['Name', 'Provider', 'Status', 'Event types', 'Inbound URL']}>
            {sources.map((s) => (
              <SourceRow key={s.id} source={s} />
            ))}
          </DataTable>
        </>
      )}
    </PagedBody>
  );
}

function SourceRow({ source: s }: { source: Source }) {
  return (
    <tr>
      <td>
        <Link to={`/inbound/${s.id}`}>{s.name}</Link>
      </td>
      <td>{providerInfo(s.provider)?.label ?? s.provider}</td>
      <td>{s.enabled ? <Badge tone="good">enabled</Badge> : <Badge tone="neutral">disabled</Badge>}</td>
      <td>
        <code>{s.eventTypePrefix}.*</code>
      </td>
      <td className="inbound-url-cell">
        <InboundUrl path={s.path} copyName={`Copy URL of ${s.name}`} />
      </td>
    </tr>
  );
}
