import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ApiError, unwrap, type BodyOf } from '../../api/client';
import { useSession } from '../../session/session';
import { Badge, PageHeader } from '../../ui/display';
import { EmptyState, ErrorNotice, Loading, Notice } from '../../ui/feedback';
import { Field } from '../../ui/form';
import { everyPage } from '../../ui/paging';
import { checkJson, JsonEditor } from '../../ui/JsonEditor';
import { exampleText, familyLabel, isJsonObject, useEventType, useEventTypes, type EventTypeSummary } from '../catalog/api';
import { PreviewResult, TestResult } from './results';
import type { Endpoint } from './signatures';

interface SendInput {
  endpointId: string;
  type: string;
  data: Record<string, unknown>;
}

/** Preview and test-send to one endpoint: the request it would receive, or one real signed delivery marked as a test. */
export function TestModePage() {
  const { tenantId, can } = useSession();
  return (
    <>
      <PageHeader
        title="Test mode"
        description="See the exact signed request an endpoint would receive, or send it one real test delivery, before any live event reaches it."
      />
      {can('endpoints:write') ? (
        // Keyed by the tenant: a tenant switch starts afresh rather than sending the last tenant's payload.
        <TestMode key={tenantId} tenantId={tenantId} />
      ) : (
        <Notice kind="warning">
          Test mode needs a key with the <code>endpoints:write</code> scope: a preview hands out valid signatures for any body, which is as good as the signing
          secret.
        </Notice>
      )}
    </>
  );
}

function useAllEndpoints(tenantId: string) {
  return useQuery({
    // Under the endpoints key of the tenant, so a change made on the endpoints pages refreshes this list too.
    queryKey: ['endpoints', tenantId, 'all-for-test-mode'],
    // A tenant has few endpoints; everyPage's cap only keeps a runaway cursor from looping.
    queryFn: () =>
      everyPage((cursor) => unwrap(api.GET('/v1/tenants/{tenantId}/endpoints', { params: { path: { tenantId }, query: { limit: 100, cursor } } }))),
  });
}

/**
 * The body of a preview or test send. The document describes `data` as
 * `{ "type": "object" }` alone, which the generated types read as an object
 * with no properties (`Record<string, never>`); any JSON object is meant.
 */
function bodyOf(input: SendInput): BodyOf<'/v1/tenants/{tenantId}/endpoints/{id}/test', 'post'> {
  return { type: input.type, data: input.data as Record<string, never> };
}

function endpointOption(e: Endpoint): string {
  const state = e.state.state === 'enabled' ? '' : ` (${e.state.state})`;
  return `${e.url}${e.description ? ` — ${e.description}` : ''}${state}`;
}

function TestMode({ tenantId }: { tenantId: string }) {
  const [params, setParams] = useSearchParams();
  // Read from the URL once, then kept here and written back: the router applies URL changes in a transition, so two quick
  // picks read from it would see a stale value.
  const [endpointId, setEndpointId] = useState(() => params.get('endpointId') ?? '');
  const [eventType, setEventType] = useState(() => params.get('eventType') ?? '');
  const endpoints = useAllEndpoints(tenantId);
  const types = useEventTypes(tenantId);
  const type = useEventType(tenantId, eventType || null);
  // The payload typed for the chosen type; until something is typed (or after a reset) it is the type's example.
  const [draft, setDraft] = useState<{ type: string; text: string } | null>(null);
  const payload = draft?.type === eventType ? draft.text : type.data ? exampleText(type.data.example) : '{}';
  const check = useMemo(() => checkJson(payload, type.data?.schema), [payload, type.data?.schema]);
  const endpoint = endpoints.data?.find((e) => e.id === endpointId);

  const preview = useMutation({
    mutationFn: (input: SendInput) =>
      unwrap(api.POST('/v1/tenants/{tenantId}/endpoints/{id}/preview', { params: { path: { tenantId, id: input.endpointId } }, body: bodyOf(input) })),
  });
  const test = useMutation({
    mutationFn: (input: SendInput) =>
      unwrap(api.POST('/v1/tenants/{tenantId}/endpoints/{id}/test', { params: { path: { tenantId, id: input.endpointId } }, body: bodyOf(input) })),
  });
  const busy = preview.isPending || test.isPending;

  const choose = (picked: { endpointId: string; eventType: string }) => {
    // A result shown for another endpoint or type would be read as this one's.
    preview.reset();
    test.reset();
    setEndpointId(picked.endpointId);
    setEventType(picked.eventType);
    setParams(Object.fromEntries(Object.entries(picked).filter(([, v]) => v !== '')), { replace: true });
  };

  const data = check.parsed && isJsonObject(check.value) ? check.value : null;
  const blocked = !endpointId ? 'Choose an endpoint.' : !eventType ? 'Choose an event type.' : !data ? 'The payload must be a JSON object.' : null;
  const input: SendInput | null = blocked || !data ? null : { endpointId, type: eventType, data };
  const sendTest = (event: FormEvent) => {
    event.preventDefault();
    if (input) test.mutate(input);
  };

  if (endpoints.isPending) return <Loading what="the tenant's endpoints" />;
  if (endpoints.isError) return <ErrorNotice error={endpoints.error} retry={() => void endpoints.refetch()} title="The endpoints could not be listed" />;
  if (endpoints.data.length === 0)
    return (
      <section className="panel test-mode-panel" aria-labelledby="test-mode-what">
        <h2 id="test-mode-what">What to send</h2>
        <EmptyState title="No endpoint to test yet" action={<Link to="/endpoints">Go to Endpoints</Link>}>
          Test mode sends to one of the tenant's endpoints. Create one first (it may stay disabled while you test it), then come back.
        </EmptyState>
      </section>
    );

  return (
    <>
      <Notice>
        A test send is a real delivery, signed with the endpoint's real secrets and marked <code>x-hookline-test: true</code>. It is logged apart (the delivery
        log lists it only under mode <em>test</em>), never retried, and never counted in the endpoint's health or its automatic disabling. It works on a paused
        or disabled endpoint too.
      </Notice>
      <form className="panel test-mode-panel" onSubmit={sendTest} noValidate aria-labelledby="test-mode-what">
        <h2 id="test-mode-what">What to send</h2>
        <div className="test-mode-pickers">
          <Field label="Endpoint" hint={endpoint ? <EndpointFacts endpoint={endpoint} /> : 'The endpoint to preview or send to, by URL.'}>
            {(p) => (
              <select {...p} value={endpointId} onChange={(e) => choose({ endpointId: e.target.value, eventType })}>
                <option value="">Choose an endpoint…</option>
                {endpointId && !endpoint && <option value={endpointId}>Unknown endpoint {endpointId}</option>}
                {endpoints.data.map((e) => (
                  <option key={e.id} value={e.id}>
                    {endpointOption(e)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <EventTypePicker types={types} value={eventType} onChange={(v) => choose({ endpointId, eventType: v })} />
        </div>
        {endpointId && !endpoint && <Notice kind="warning">The tenant has no endpoint {endpointId}: choose one from the list.</Notice>}
        {eventType && type.isPending && <Loading what="the event type's example and schema" />}
        {type.isError && (
          <ErrorNotice
            error={type.error}
            retry={() => void type.refetch()}
            title={type.error instanceof ApiError && type.error.status === 404 ? `The catalog has no type ${eventType}` : 'The event type could not be read'}
          />
        )}
        {type.data?.deprecated && <Notice kind="warning">{type.data.name} is deprecated: producers should stop sending it.</Notice>}
        <JsonEditor
          label="Payload"
          value={payload}
          onChange={(text) => setDraft({ type: eventType, text })}
          schema={type.data?.schema}
          hint={
            type.data
              ? `The event's data, a JSON object. Starts as the example of ${type.data.name}; checked against its schema (v${type.data.version}) as you type.`
              : "The event's data, a JSON object. Choose an event type to start from its example."
          }
        />
        {type.data && !type.data.example && !draft && <p className="muted">{type.data.name} has no example in the catalog: write its data.</p>}
        {check.violations.length > 0 && (
          <Notice kind="warning">
            The payload does not match the schema of {eventType}. It can still be sent: test sends are not checked, but ingest would
            {type.data?.schemaMode === 'enforce'
              ? ' refuse'
              : type.data?.schemaMode === 'warn'
                ? ' flag'
                : ', under the mode warn or enforce, flag or refuse'}{' '}
            such an event.
          </Notice>
        )}
        <div className="row">
          <button type="button" onClick={() => input && preview.mutate(input)} disabled={busy || !input}>
            {preview.isPending ? 'Previewing…' : 'Preview'}
          </button>
          <button type="submit" className="primary" disabled={busy || !input}>
            {test.isPending ? 'Sending…' : 'Send test'}
          </button>
          {type.data && draft?.type === eventType && (
            <button type="button" onClick={() => setDraft(null)} disabled={busy}>
              Reset to example
            </button>
          )}
          {blocked && <span className="muted">{blocked}</span>}
        </div>
      </form>

      {preview.isError && <ErrorNotice error={preview.error} title="The preview failed" />}
      {preview.isSuccess && <PreviewResult preview={preview.data} endpoint={endpoint} type={preview.variables.type} />}
      {test.isError && <ErrorNotice error={test.error} title="The test was not sent" />}
      {test.isSuccess && <TestResult attempt={test.data} type={test.variables.type} />}
    </>
  );
}

function EndpointFacts({ endpoint }: { endpoint: Endpoint }) {
  return (
    <span className="test-mode-endpoint">
      <Badge tone={endpoint.state.state === 'enabled' ? 'good' : endpoint.state.state === 'paused' ? 'warn' : 'neutral'}>{endpoint.state.state}</Badge> signs
      with {endpoint.signatureSchemes.join(', ')} · <Link to={`/endpoints/${endpoint.id}`}>Open endpoint</Link>
    </span>
  );
}

/** The catalog's types by family; the chosen type's description under it. */
function EventTypePicker({ types, value, onChange }: { types: ReturnType<typeof useEventTypes>; value: string; onChange(value: string): void }) {
  const families = useMemo(() => {
    const byGroup = new Map<string, EventTypeSummary[]>();
    for (const t of [...(types.data ?? [])].sort((a, b) => a.name.localeCompare(b.name))) byGroup.set(t.group, [...(byGroup.get(t.group) ?? []), t]);
    return [...byGroup.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [types.data]);
  const chosen = types.data?.find((t) => t.name === value);
  if (types.isError) return <ErrorNotice error={types.error} retry={() => void types.refetch()} title="The event catalog could not be read" />;
  return (
    <Field
      label="Event type"
      hint={
        chosen ? (
          <>
            {chosen.description} <Link to={`/catalog/${encodeURIComponent(chosen.name)}`}>View in catalog</Link>
          </>
        ) : (
          'Built-in and custom types of the tenant’s catalog.'
        )
      }
    >
      {(p) => (
        <select {...p} value={value} onChange={(e) => onChange(e.target.value)} disabled={types.isPending}>
          <option value="">{types.isPending ? 'Loading the catalog…' : 'Choose an event type…'}</option>
          {value && types.isSuccess && !chosen && <option value={value}>{value} (not in the catalog)</option>}
          {families.map(([group, members]) => (
            <optgroup key={group} label={familyLabel(group)}>
              {members.map((t) => (
                <option key={t.name} value={t.name}>
                  {t.name}
                  {t.source === 'custom' ? ' (custom)' : ''}
                  {t.deprecated ? ' (deprecated)' : ''}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      )}
    </Field>
  );
}
