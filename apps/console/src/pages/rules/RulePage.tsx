import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError, unwrap } from '../../api/client';
import { useSession } from '../../session/session';
import { Badge, formatTime, PageHeader } from '../../ui/display';
import { ErrorNotice, Loading, Notice } from '../../ui/feedback';
import { RuleBuilder } from './RuleBuilder';
import { emptyBuilder, fromBuilder, issuesByNode, RawJsonError, toBuilder, type Rule } from './rule-model';
import { rulesKeys, useCatalogNames, useContractOptions, useEndpointOptions, useRule, useTriggerSchemas } from './rules-api';
import { TrialPanel } from './TrialPanel';

/** `/rules/new` and `/rules/:id`: the builder, saving, enabling, deleting, and trial runs of the saved rule. */
export function RulePage() {
  const { id } = useParams();
  const { tenantId } = useSession();
  const rule = useRule(tenantId, id);
  if (id === undefined) return <RuleEditor key={`${tenantId}:new`} rule={null} />;
  if (rule.isPending) return <Loading what="the rule" />;
  if (rule.isError)
    return (
      <>
        <PageHeader title="Rule" />
        <ErrorNotice error={rule.error} retry={() => void rule.refetch()} title="The rule could not be loaded" />
        <Link to="/rules">Back to the rules</Link>
      </>
    );
  return <RuleEditor key={`${tenantId}:${rule.data.id}`} rule={rule.data} />;
}

function RuleEditor({ rule }: { rule: Rule | null }) {
  const session = useSession();
  const { tenantId } = session;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const canWrite = session.can('rules:write');
  const [state, setState] = useState(() => (rule ? toBuilder(rule) : emptyBuilder()));

  const catalog = useCatalogNames(tenantId, session.can('catalog:read'));
  const endpoints = useEndpointOptions(tenantId, session.can('endpoints:read'));
  const contracts = useContractOptions(tenantId, session.can('actions:read'));
  const schemas = useTriggerSchemas(tenantId, state.eventTypes, catalog.data ?? [], session.can('catalog:read'));

  // What was last saved, as the builder would send it: "unsaved changes" is any difference from it.
  const savedJson = useMemo(() => (rule ? JSON.stringify(fromBuilder(toBuilder(rule))) : null), [rule]);
  let currentJson: string | null = null;
  try {
    currentJson = JSON.stringify(fromBuilder(state));
  } catch {
    // A raw expression that is not JSON yet: certainly unsaved.
  }
  const unsaved = rule !== null && currentJson !== savedJson;

  const save = useMutation({
    mutationFn: async () => {
      const body = fromBuilder(state);
      return rule
        ? unwrap(api.PUT('/v1/tenants/{tenantId}/rules/{id}', { params: { path: { tenantId, id: rule.id } }, body }))
        : unwrap(api.POST('/v1/tenants/{tenantId}/rules', { params: { path: { tenantId } }, body }));
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(rulesKeys.one(tenantId, saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: rulesKeys.list(tenantId) });
      if (!rule) navigate(`/rules/${saved.id}`, { replace: true });
    },
  });

  const issues = useMemo(() => {
    if (save.error instanceof RawJsonError) return { [save.error.nodeId]: [save.error.message] };
    if (save.error instanceof ApiError) return issuesByNode(state, save.error.issues);
    return {};
  }, [save.error, state]);

  return (
    <>
      <PageHeader
        title={rule ? rule.name : 'New rule'}
        description={
          rule ? (
            <>
              Version {rule.version}, saved {formatTime(rule.updatedAt)}. <Link to="/rules">All rules</Link>
            </>
          ) : (
            'When an event of the trigger happens and the conditions hold, the actions run, in order.'
          )
        }
      >
        {rule && (
          <span className="rules-state">
            <Badge tone={rule.enabled ? 'good' : 'neutral'}>{rule.enabled ? 'Enabled' : 'Disabled'}</Badge>
          </span>
        )}
        {rule && canWrite && <EnableToggle rule={rule} onToggled={(enabled) => setState((s) => ({ ...s, enabled }))} />}
        {rule && canWrite && <DeleteRule rule={rule} />}
      </PageHeader>

      {!canWrite && <Notice>This API key may read rules, not change them (it lacks rules:write).</Notice>}
      {catalog.isError && <ErrorNotice error={catalog.error} retry={() => void catalog.refetch()} title="The event catalog could not be loaded" />}
      {endpoints.isError && <ErrorNotice error={endpoints.error} retry={() => void endpoints.refetch()} title="The endpoints could not be loaded" />}
      {contracts.isError && <ErrorNotice error={contracts.error} retry={() => void contracts.refetch()} title="The action contracts could not be loaded" />}
      {catalog.isLoading || endpoints.isLoading || contracts.isLoading ? (
        <Loading what="the event catalog, endpoints and action contracts" />
      ) : (
        <form
          className="rules-form"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          {schemas.loading && <Loading what="the fields of the trigger's event types" />}
          <RuleBuilder
            value={state}
            onChange={setState}
            schemaFields={schemas.fields}
            endpoints={endpoints.data ?? []}
            contracts={session.can('actions:read') ? (contracts.data ?? []) : null}
            eventTypes={catalog.data ?? []}
            issues={issues}
            readOnly={!canWrite}
          />
          {save.isError && <ErrorNotice error={save.error} title="The rule was not saved" />}
          {save.isSuccess && !unsaved && <Notice kind="success">Saved: version {save.data.version} applies to events accepted from now on.</Notice>}
          {canWrite && (
            <div className="row rules-save">
              <button type="submit" className="primary" disabled={save.isPending}>
                {save.isPending ? 'Saving…' : rule ? 'Save rule' : 'Create rule'}
              </button>
              {unsaved && <Badge tone="warn">Unsaved changes</Badge>}
            </div>
          )}
        </form>
      )}

      {rule &&
        (session.can('endpoints:write') ? (
          <TrialPanel
            tenantId={tenantId}
            ruleId={rule.id}
            example={schemas.example}
            endpoints={endpoints.data ?? []}
            contracts={contracts.data ?? null}
            unsaved={unsaved}
          />
        ) : (
          <Notice>Trial runs take the endpoints:write scope (they sign requests and may send test deliveries), which this key lacks.</Notice>
        ))}
    </>
  );
}

function EnableToggle({ rule, onToggled }: { rule: Rule; onToggled(enabled: boolean): void }) {
  const { tenantId } = useSession();
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: () => unwrap(api.PATCH('/v1/tenants/{tenantId}/rules/{id}', { params: { path: { tenantId, id: rule.id } }, body: { enabled: !rule.enabled } })),
    onSuccess: (saved) => {
      queryClient.setQueryData(rulesKeys.one(tenantId, saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: rulesKeys.list(tenantId) });
      onToggled(saved.enabled);
    },
  });
  return (
    <>
      <button type="button" disabled={toggle.isPending} onClick={() => toggle.mutate()}>
        {rule.enabled ? 'Disable rule' : 'Enable rule'}
      </button>
      {toggle.isError && <ErrorNotice error={toggle.error} title="The rule was not changed" />}
    </>
  );
}

function DeleteRule({ rule }: { rule: Rule }) {
  const { tenantId } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [asking, setAsking] = useState(false);
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/v1/tenants/{tenantId}/rules/{id}', { params: { path: { tenantId, id: rule.id } } })),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: rulesKeys.one(tenantId, rule.id) });
      void queryClient.invalidateQueries({ queryKey: rulesKeys.list(tenantId) });
      navigate('/rules');
    },
  });
  if (!asking)
    return (
      <button type="button" className="danger" onClick={() => setAsking(true)}>
        Delete rule
      </button>
    );
  return (
    <div className="rules-confirm" role="group" aria-label="Confirm deletion">
      <span>Delete “{rule.name}”? It stops running at once.</span>
      <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate()}>
        Yes, delete
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
      {remove.isError && <ErrorNotice error={remove.error} title="The rule was not deleted" />}
    </div>
  );
}
