import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useSession } from '../../session/session';
import { Badge, JsonBlock, PageHeader, formatTime } from '../../ui/display';
import { ErrorNotice, Loading, Notice } from '../../ui/feedback';
import { InboundLog } from './InboundLog';
import { IngestAddressSetting, InboundUrl } from './InboundUrl';
import { providerInfo, sourceKeys, type Provider, type Source, type SourceBody } from './providers';
import { bodyOf, draftOf, SourceForm, type SourceDraft } from './SourceForm';
import { DeletePanel, useDeleteAndLeave } from '../../ui/ConfirmPanel';

/** `/inbound/:id`: one source, the URL to give its provider and how, and every request it received. */
export function InboundSourcePage() {
  const { id = '' } = useParams();
  const { tenantId, can } = useSession();
  const justCreated = (useLocation().state as { created?: boolean } | null)?.created === true;
  const source = useQuery({
    queryKey: sourceKeys.one(tenantId, id),
    queryFn: () => unwrap(api.GET('/v1/tenants/{tenantId}/inbound-sources/{id}', { params: { path: { tenantId, id } } })),
  });
  if (source.isPending) return <Loading what="the inbound source" />;
  if (source.isError) {
    return (
      <section className="inbound-page">
        <PageHeader title="Inbound source" />
        <ErrorNotice error={source.error} retry={() => void source.refetch()} title="The source could not be loaded" />
        <p>
          <Link to="/inbound">All inbound sources</Link>
        </p>
      </section>
    );
  }
  return <SourceView key={source.data.id} source={source.data} tenantId={tenantId} canWrite={can('inbound:write')} justCreated={justCreated} />;
}

function SourceView({ source: s, tenantId, canWrite, justCreated }: { source: Source; tenantId: string; canWrite: boolean; justCreated: boolean }) {
  const info = providerInfo(s.provider);
  const providerName = info?.label ?? s.provider;
  // The welcome after creation goes with the first thing done to the source.
  const [created, setCreated] = useState(justCreated);
  const [mode, setModeState] = useState<'view' | 'edit' | 'delete'>('view');
  const setMode = (next: 'view' | 'edit' | 'delete') => {
    setCreated(false);
    setModeState(next);
  };
  const toggle = useSaveSource(s, tenantId, () => setCreated(false));
  return (
    <section className="inbound-page">
      <p className="back-link">
        <Link to="/inbound">← Inbound sources</Link>
      </p>
      <PageHeader title={s.name} description={`${providerName} webhooks, as events ${s.eventTypePrefix}.<kind>`}>
        {canWrite && mode === 'view' && (
          <>
            <button type="button" onClick={() => setMode('edit')}>
              Edit
            </button>
            <button type="button" onClick={() => toggle.mutate(() => bodyFrom(s, { enabled: !s.enabled }))} disabled={toggle.isPending}>
              {s.enabled ? 'Disable' : 'Enable'}
            </button>
            <button type="button" className="danger" onClick={() => setMode('delete')}>
              Delete
            </button>
          </>
        )}
      </PageHeader>
      {toggle.isError && <ErrorNotice error={toggle.error} title={s.enabled ? 'The source was not disabled' : 'The source was not enabled'} />}
      {created && (
        <Notice kind="success">
          Source created. Give its URL below to the provider, as the steps say; each request it sends then shows in the inbound log.
        </Notice>
      )}
      {mode === 'delete' && <DeleteSource source={s} tenantId={tenantId} onCancel={() => setMode('view')} />}
      {mode === 'edit' && <EditSource source={s} tenantId={tenantId} onDone={() => setMode('view')} />}
      <section className="panel" aria-labelledby="inbound-url-title">
        <h2 id="inbound-url-title">Inbound URL</h2>
        <p className="muted">Where the provider sends its webhooks: POST (and GET for handshakes). No API key: the provider’s signature is what is checked.</p>
        <p>
          <InboundUrl path={s.path} />
        </p>
        <IngestAddressSetting />
      </section>
      <div className="grid-2">
        <Facts source={s} />
        <section className="panel" aria-labelledby="inbound-setup">
          <h2 id="inbound-setup">Set up {providerName}</h2>
          {info ? (
            <>
              <ol className="inbound-steps">
                {info.setup.map((step) => (
                  <li key={step}>{step}</li>
                ))}
              </ol>
              <p className="muted">Checked: {info.verifies}</p>
            </>
          ) : (
            <p className="muted">This console does not know provider {s.provider} yet; see the README's table of providers.</p>
          )}
        </section>
      </div>
      <InboundLog source={s} tenantId={tenantId} />
    </section>
  );
}

function Facts({ source: s }: { source: Source }) {
  const info = providerInfo(s.provider);
  const hasOptions = Object.keys(s.options).length > 0;
  return (
    <section className="panel" aria-labelledby="inbound-facts">
      <h2 id="inbound-facts">Details</h2>
      <dl className="facts">
        <dt>Provider</dt>
        <dd>{info?.label ?? s.provider}</dd>
        <dt>Status</dt>
        <dd>{s.enabled ? <Badge tone="good">enabled</Badge> : <Badge tone="neutral">disabled: its URL answers 410</Badge>}</dd>
        <dt>Event types</dt>
        <dd>
          <code>{s.eventTypePrefix}.*</code>
        </dd>
        <dt>Verified with</dt>
        <dd>
          {info?.key === 'none'
            ? 'Amazon’s signing certificate'
            : s.publicKey
              ? 'its public key (below)'
              : s.hasSecret
                ? 'its secret (set; never shown)'
                : 'no key set: every request is refused'}
        </dd>
        <dt>Request bodies</dt>
        <dd>{s.storeBodies ? 'kept in the log' : 'not kept (only their size)'}</dd>
        <dt>Version</dt>
        <dd>{s.version}</dd>
        <dt>Created</dt>
        <dd>{formatTime(s.createdAt)}</dd>
        <dt>Updated</dt>
        <dd>{formatTime(s.updatedAt)}</dd>
      </dl>
      {s.publicKey && (
        <>
          <h3>Public key</h3>
          <JsonBlock value={s.publicKey} label="Public key" />
        </>
      )}
      {hasOptions && (
        <>
          <h3>Options</h3>
          <JsonBlock value={s.options} label="Provider options" />
        </>
      )}
    </section>
  );
}

/** The whole source as PUT takes it, from what the API shows; no secret, so the current one is kept. */
function bodyFrom(s: Source, changes: Partial<SourceBody>): SourceBody {
  return {
    provider: s.provider as Provider,
    name: s.name,
    ...(s.publicKey ? { publicKey: s.publicKey } : {}),
    options: s.options,
    eventTypePrefix: s.eventTypePrefix,
    enabled: s.enabled,
    storeBodies: s.storeBodies,
    ...changes,
  };
}

function useSaveSource(source: Source, tenantId: string, onSaved?: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    // The body is made inside the mutation, so a form's unreadable JSON is reported like the API's own refusals.
    mutationFn: (makeBody: () => SourceBody) =>
      unwrap(api.PUT('/v1/tenants/{tenantId}/inbound-sources/{id}', { params: { path: { tenantId, id: source.id } }, body: makeBody() })),
    onSuccess: (saved) => {
      queryClient.setQueryData(sourceKeys.one(tenantId, source.id), saved);
      void queryClient.invalidateQueries({ queryKey: sourceKeys.all(tenantId), exact: true });
      onSaved?.();
    },
  });
}

function EditSource({ source, tenantId, onDone }: { source: Source; tenantId: string; onDone: () => void }) {
  const save = useSaveSource(source, tenantId, onDone);
  return (
    <SourceForm
      initial={draftOf(source)}
      hasSecret={source.hasSecret}
      title={`Edit ${source.name}`}
      submitLabel="Save source"
      pending={save.isPending}
      error={save.error}
      onSubmit={(draft: SourceDraft) => save.mutate(() => bodyOf(draft))}
      onCancel={onDone}
    />
  );
}

function DeleteSource({ source, tenantId, onCancel }: { source: Source; tenantId: string; onCancel: () => void }) {
  const remove = useDeleteAndLeave(
    () => unwrap(api.DELETE('/v1/tenants/{tenantId}/inbound-sources/{id}', { params: { path: { tenantId, id: source.id } } })),
    sourceKeys.all(tenantId),
    '/inbound',
  );
  return (
    <DeletePanel
      id="inbound-delete"
      title={`Delete ${source.name}?`}
      confirmLabel="Delete source"
      onConfirm={() => remove.mutate()}
      onCancel={onCancel}
      pending={remove.isPending}
      error={remove.error}
      errorTitle="The source was not deleted"
    >
      <p>Its URL answers 404 from now on, so the provider’s webhooks are lost until you give it another source’s URL. Disabling it instead answers 410.</p>
    </DeletePanel>
  );
}
