import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, api, unwrap } from '../../api/client';
import { useSession } from '../../session/session';
import { JsonBlock, PageHeader, formatTime } from '../../ui/display';
import { ErrorNotice, Loading } from '../../ui/feedback';
import { Field } from '../../ui/form';
import { actionsFor, keys, type Endpoint, type StateAction } from './api';
import { EndpointForm } from './EndpointForm';
import { HealthPanel } from './HealthPanel';
import { CHAT_TOOL_LABELS } from './chat';
import { ConfirmPanel } from '../../ui/ConfirmPanel';
import { ChatToolBadge, EventTypes, StateSummary } from './parts';
import { SecretPanel } from './SecretPanel';
import { SigningKeysPanel } from './SigningKeysPanel';

const ACTION_LABELS: Record<StateAction, string> = { pause: 'Pause', resume: 'Resume', disable: 'Disable', enable: 'Enable' };

/** One endpoint: its state and the moves it allows, its health, settings, secret and signing keys. */
export function EndpointPage() {
  const { tenantId } = useSession();
  const { id = '' } = useParams();
  return <EndpointView key={`${tenantId}/${id}`} tenantId={tenantId} id={id} />;
}

function EndpointView({ tenantId, id }: { tenantId: string; id: string }) {
  const endpoint = useQuery({
    queryKey: keys.one(tenantId, id),
    queryFn: () => unwrap(api.GET('/v1/tenants/{tenantId}/endpoints/{id}', { params: { path: { tenantId, id } } })),
  });
  if (endpoint.isPending) return <Loading what="the endpoint" />;
  if (endpoint.isError) {
    const missing = endpoint.error instanceof ApiError && endpoint.error.status === 404;
    return (
      <>
        <BackLink />
        <h1>Endpoint</h1>
        <ErrorNotice
          error={endpoint.error}
          title={missing ? 'No such endpoint in this tenant' : 'The endpoint could not be loaded'}
          retry={missing ? undefined : () => void endpoint.refetch()}
        />
      </>
    );
  }
  return <Loaded tenantId={tenantId} endpoint={endpoint.data} />;
}

function BackLink() {
  return (
    <p className="back-link">
      <Link to="/endpoints">← All endpoints</Link>
    </p>
  );
}

function Loaded({ tenantId, endpoint }: { tenantId: string; endpoint: Endpoint }) {
  const session = useSession();
  const canWrite = session.can('endpoints:write');
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const confirmId = useId();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState<'disable' | 'delete' | null>(null);
  const [reason, setReason] = useState('');
  const id = endpoint.id;

  const changed = (next: Endpoint) => {
    queryClient.setQueryData(keys.one(tenantId, id), next);
    void queryClient.invalidateQueries({ queryKey: keys.pages(tenantId) });
  };
  const stateChange = useMutation({
    mutationFn: ({ action, reason }: { action: StateAction; reason?: string }) => {
      const init = { params: { path: { tenantId, id } }, body: reason ? { reason } : {} };
      switch (action) {
        case 'pause':
          return unwrap(api.POST('/v1/tenants/{tenantId}/endpoints/{id}/pause', init));
        case 'resume':
          return unwrap(api.POST('/v1/tenants/{tenantId}/endpoints/{id}/resume', init));
        case 'disable':
          return unwrap(api.POST('/v1/tenants/{tenantId}/endpoints/{id}/disable', init));
        case 'enable':
          return unwrap(api.POST('/v1/tenants/{tenantId}/endpoints/{id}/enable', init));
      }
    },
    onSuccess: (next) => {
      setConfirming(null);
      setReason('');
      changed(next);
    },
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/v1/tenants/{tenantId}/endpoints/{id}', { params: { path: { tenantId, id } } })),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: keys.one(tenantId, id) });
      void queryClient.invalidateQueries({ queryKey: keys.pages(tenantId) });
      void navigate('/endpoints');
    },
  });

  const act = (action: StateAction) => {
    stateChange.reset();
    if (action === 'disable') setConfirming('disable');
    else stateChange.mutate({ action });
  };
  const cancel = () => {
    setConfirming(null);
    setReason('');
    stateChange.reset();
    remove.reset();
  };

  return (
    <div className="endpoints-page">
      <BackLink />
      <PageHeader
        title={endpoint.url}
        description={
          <>
            {endpoint.chat && <ChatToolBadge tool={endpoint.chat.tool} />} <StateSummary state={endpoint.state} />
            {endpoint.description && <span className="endpoints-description">{endpoint.description}</span>}
          </>
        }
      >
        {canWrite && (
          <>
            {actionsFor(endpoint.state.state).map((action) => (
              <button
                key={action}
                type="button"
                className={action === 'disable' ? 'danger' : undefined}
                onClick={() => act(action)}
                disabled={stateChange.isPending}
                aria-expanded={action === 'disable' ? confirming === 'disable' : undefined}
                aria-controls={action === 'disable' ? confirmId : undefined}
              >
                {ACTION_LABELS[action]}
              </button>
            ))}
            <button type="button" onClick={() => setEditing(true)} disabled={editing} aria-expanded={editing}>
              Edit
            </button>
            <button type="button" className="danger" onClick={() => setConfirming('delete')} aria-expanded={confirming === 'delete'} aria-controls={confirmId}>
              Delete
            </button>
          </>
        )}
      </PageHeader>
      <div className="endpoints-links">
        {session.can('deliveries:read') && <Link to={`/deliveries?endpointId=${encodeURIComponent(id)}`}>View deliveries</Link>}
        {canWrite && <Link to={`/test?endpointId=${encodeURIComponent(id)}`}>Send a test</Link>}
      </div>

      {stateChange.error && !confirming && <ErrorNotice error={stateChange.error} title="The state was not changed" />}
      {confirming === 'disable' && (
        <ConfirmPanel
          id={confirmId}
          title="Disable this endpoint?"
          confirmLabel="Yes, disable"
          danger
          busy={stateChange.isPending}
          onConfirm={() => stateChange.mutate({ action: 'disable', reason: reason.trim() || undefined })}
          onCancel={cancel}
        >
          <p>
            No delivery is made for it from now on, and retries in flight end as dead. Enabling it later starts fresh: what was missed is not resent. To hold
            deliveries and send them later, pause it instead.
          </p>
          <Field label="Reason (optional)" name="reason" error={stateChange.error} hint="Shown with its state, e.g. “receiver retired”.">
            {(p) => <input {...p} type="text" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          {stateChange.error && <ErrorNotice error={stateChange.error} title="The endpoint was not disabled" />}
        </ConfirmPanel>
      )}
      {confirming === 'delete' && (
        <ConfirmPanel
          id={confirmId}
          title="Delete this endpoint?"
          confirmLabel="Yes, delete"
          danger
          busy={remove.isPending}
          onConfirm={() => remove.mutate()}
          onCancel={cancel}
        >
          <p>It receives nothing more and cannot be restored; its deliveries stay in the log.</p>
          {remove.error && <ErrorNotice error={remove.error} title="The endpoint was not deleted" />}
        </ConfirmPanel>
      )}
      {editing && (
        <EndpointForm
          tenantId={tenantId}
          endpoint={endpoint}
          onCancel={() => setEditing(false)}
          onSaved={(next) => {
            setEditing(false);
            changed(next);
          }}
        />
      )}

      <HealthPanel tenantId={tenantId} id={id} />
      <div className="grid-2">
        <SecretPanel tenantId={tenantId} id={id} canWrite={canWrite} />
        <Settings endpoint={endpoint} />
      </div>
      <SigningKeysPanel tenantId={tenantId} endpoint={endpoint} canWrite={canWrite} />
    </div>
  );
}

function retryPolicyText(policy: Endpoint['retryPolicy']): string {
  if (!policy) return 'the default schedule';
  if ('delays' in policy) return `waits of ${policy.delays.join(', ')}`;
  return `${policy.attempts} attempts, from ${policy.initial} × ${policy.factor} up to ${policy.maxDelay}`;
}

/** What the endpoint is set to; the form edits the first few, the API every one. */
function Settings({ endpoint }: { endpoint: Endpoint }) {
  const titleId = useId();
  const headerNames = Object.keys(endpoint.headers);
  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>Settings</h2>
      <dl className="facts">
        <dt>Event types</dt>
        <dd>
          <EventTypes types={endpoint.eventTypes} />
        </dd>
        <dt>Signature schemes</dt>
        <dd>{endpoint.signatureSchemes.join(', ')}</dd>
        <dt>Rate limit</dt>
        <dd>{endpoint.rateLimit ? `${endpoint.rateLimit.perSecond} per second, burst ${endpoint.rateLimit.burst}` : 'none'}</dd>
        <dt>In flight at most</dt>
        <dd>{endpoint.maxInFlight ?? 'the dispatcher’s limit'}</dd>
        <dt>Timeout</dt>
        <dd>{endpoint.timeoutMs} ms</dd>
        <dt>Retries</dt>
        <dd>{retryPolicyText(endpoint.retryPolicy)}</dd>
        <dt>Disabled after</dt>
        <dd>{endpoint.disableAfterFailures} failed deliveries in a row</dd>
        {/* Names only: a custom header's value may be a credential. */}
        <dt>Custom headers</dt>
        <dd>{headerNames.length > 0 ? headerNames.join(', ') : 'none'}</dd>
        {endpoint.chat && <ChatSettings chat={endpoint.chat} />}
        <dt>State changed</dt>
        <dd>{endpoint.state.changedAt ? `${formatTime(endpoint.state.changedAt)}${endpoint.state.actor ? ` by ${endpoint.state.actor}` : ''}` : 'never'}</dd>
        <dt>Created</dt>
        <dd>{formatTime(endpoint.createdAt)}</dd>
        <dt>Updated</dt>
        <dd>{formatTime(endpoint.updatedAt)}</dd>
        <dt>Id</dt>
        <dd>
          <code>{endpoint.id}</code>
        </dd>
      </dl>
      {endpoint.filter && (
        <>
          <h3>Filter</h3>
          <JsonBlock value={endpoint.filter} label="Filter" />
        </>
      )}
    </section>
  );
}

/** A chat endpoint's tool, Telegram chat and message template (its URL or bot token is sealed: never shown). */
function ChatSettings({ chat }: { chat: NonNullable<Endpoint['chat']> }) {
  const title = chat.template?.title;
  const text = chat.template?.text;
  return (
    <>
      <dt>Chat tool</dt>
      <dd>{CHAT_TOOL_LABELS[chat.tool]}</dd>
      {chat.telegramChatId !== null && (
        <>
          <dt>Telegram chat</dt>
          <dd>
            <code>{chat.telegramChatId}</code>
          </dd>
        </>
      )}
      <dt>Message template</dt>
      <dd>
        {chat.template ? (
          <>
            {typeof title === 'string' && title !== '' && <strong className="endpoints-template-title">{title}</strong>}
            {typeof text === 'string' && text !== '' && <span className="endpoints-template-text">{text}</span>}
          </>
        ) : (
          'the default: the event type as title, its id and time as text'
        )}
      </dd>
    </>
  );
}
