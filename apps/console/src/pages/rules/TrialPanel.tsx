import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { Badge, formatMs, JsonBlock } from '../../ui/display';
import { ErrorNotice, Notice } from '../../ui/feedback';
import { checkJson, JsonEditor } from '../../ui/JsonEditor';
import { ACTION_NAMES } from './ActionList';
import { OPERATOR_LABELS, type ContractOption, type EndpointOption, type Operator } from './rule-model';
import type { TrialBody, TrialResult } from './rules-api';

type Explanation =
  | { kind: 'all'; matched: boolean; items: Explanation[] }
  | { kind: 'any'; matched: boolean; items: Explanation[] }
  | { kind: 'not'; matched: boolean; item: Explanation }
  | { kind: 'comparison'; matched: boolean; path: string; op: Operator; value?: unknown; actual: unknown; ignoreCase?: boolean }
  | { kind: 'jsonLogic'; matched: boolean };

/** The event a trial takes: every field optional, nothing else. */
const TRIAL_EVENT = {
  type: 'object',
  properties: { type: { type: 'string' }, id: { type: 'string' }, occurredAt: { type: 'string' }, data: { type: 'object' } },
  additionalProperties: false,
};

/**
 * Tries the saved rule on one event (README "Automations", trial runs): dry
 * shows what it would do with nothing sent, live sends each request now as a
 * test delivery. The event is optional: the API fills in the trigger's first
 * type and that type's catalog example.
 */
export function TrialPanel({
  tenantId,
  ruleId,
  example,
  endpoints,
  contracts,
  unsaved,
}: {
  tenantId: string;
  ruleId: string;
  example: { type: string; data: unknown } | null;
  endpoints: EndpointOption[];
  contracts: ContractOption[] | null;
  unsaved: boolean;
}) {
  const headingId = useId();
  const [mode, setMode] = useState<'dry' | 'live'>('dry');
  const exampleText = example ? JSON.stringify({ type: example.type, data: example.data ?? {} }, null, 2) : '';
  const [typed, setTyped] = useState<string | null>(null);
  const text = typed ?? exampleText;
  const check = text.trim() === '' ? null : checkJson(text);
  const badEvent = check !== null && (!check.parsed || typeof check.value !== 'object' || check.value === null || Array.isArray(check.value));

  const trial = useMutation({
    mutationFn: (body: TrialBody) => unwrap(api.POST('/v1/tenants/{tenantId}/rules/{id}/trial', { params: { path: { tenantId, id: ruleId } }, body })),
  });
  const run = () => {
    const event = check?.value as TrialBody['event'];
    trial.mutate(event ? { mode, event } : { mode });
  };

  return (
    <section className="panel rules-trial-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Trial run</h2>
      <p className="muted">Tries the saved rule on one event: whether it matches, why, and what each action sends.</p>
      {unsaved && <Notice kind="warning">You have unsaved changes: a trial runs the rule as last saved.</Notice>}
      <fieldset className="rules-mode">
        <legend>Mode</legend>
        <label className="rules-check">
          <input type="radio" name={`${headingId}-mode`} value="dry" checked={mode === 'dry'} onChange={() => setMode('dry')} />
          Dry run (nothing is sent)
        </label>
        <label className="rules-check">
          <input type="radio" name={`${headingId}-mode`} value="live" checked={mode === 'live'} onChange={() => setMode('live')} />
          Live (sends test deliveries now)
        </label>
      </fieldset>
      <JsonEditor
        label="Event (JSON)"
        value={text}
        onChange={setTyped}
        schema={TRIAL_EVENT}
        optional
        hint="type, id, data and occurredAt, each optional; empty: the trigger's first type with its catalog example."
      />
      <div className="row">
        <button type="button" className="primary" disabled={trial.isPending || badEvent} onClick={run}>
          {trial.isPending ? 'Running…' : 'Run trial'}
        </button>
        {example && typed !== null && (
          <button type="button" onClick={() => setTyped(null)}>
            Use the catalog example
          </button>
        )}
        {badEvent && <span className="field-error">The event must be a JSON object.</span>}
      </div>
      {trial.isError && <ErrorNotice error={trial.error} title="The trial did not run" />}
      {trial.data && <TrialOutcome result={trial.data} endpoints={endpoints} contracts={contracts} />}
    </section>
  );
}

function TrialOutcome({ result, endpoints, contracts }: { result: TrialResult; endpoints: EndpointOption[]; contracts: ContractOption[] | null }) {
  const name = (id: string) => endpoints.find((e) => e.id === id)?.label ?? id;
  const contractName = (id: string) => contracts?.find((c) => c.id === id)?.name ?? id;
  return (
    <div className="rules-trial" role="status" aria-live="polite">
      <h3>Outcome ({result.mode === 'dry' ? 'dry run' : 'live'})</h3>
      <p className="row">
        {result.matched ? <Badge tone="good">Matched</Badge> : <Badge tone="warn">Not matched</Badge>}
        <span>
          {!result.triggered
            ? `${result.event.type} is not one of the trigger's types: the rule would not run.`
            : result.matched
              ? 'The rule runs for this event.'
              : 'The conditions do not hold: the rule does nothing for this event.'}
        </span>
      </p>
      <details>
        <summary>Event tried</summary>
        <JsonBlock value={result.event} label="Event tried" />
      </details>
      <h3>Conditions</h3>
      {result.conditions ? (
        <ul className="rules-explain">
          <ExplainNode node={result.conditions as Explanation} />
        </ul>
      ) : (
        <p className="muted">No conditions: every event of the trigger matches.</p>
      )}
      <h3>Actions</h3>
      {result.actions.length === 0 && <p className="muted">The rule has no action to show.</p>}
      {result.actions.length > 0 && !result.matched && (
        <p className="muted">The rule did not match, so nothing {result.mode === 'live' ? 'was' : 'would be'} sent. Had it matched, each action would send:</p>
      )}
      {result.actions.map((action, i) => (
        <div key={action.key} className="rules-trial-action">
          <h4>
            {i + 1}. {ACTION_NAMES[action.type as keyof typeof ACTION_NAMES] ?? action.type} <span className="muted">(key {action.key})</span>
          </h4>
          {action.transform &&
            (action.transform.ok ? (
              <>
                <p>{action.type === 'invoke' ? 'The input expression gave:' : 'The transform gave:'}</p>
                <JsonBlock value={action.transform.value} label={`Transform result of action ${i + 1}`} />
              </>
            ) : (
              <Notice kind="warning">
                The transform failed ({action.transform.reason}
                {action.transform.detail ? `: ${action.transform.detail}` : ''}): this action is skipped for this event.
              </Notice>
            ))}
          {action.deliveries.map((d) => (
            <div key={d.endpointId} className="rules-trial-delivery">
              <p>
                To <strong>{name(d.endpointId)}</strong>
                {d.skipped && (
                  <>
                    {' '}
                    <Badge tone="warn">skipped: {d.skipped.replace(/_/g, ' ')}</Badge>
                  </>
                )}
              </p>
              {d.request && <RequestView request={d.request} />}
              {d.attempt && <AttemptView attempt={d.attempt} />}
            </div>
          ))}
          {action.invocation && (
            <div className="rules-trial-delivery">
              <p>
                Invokes <strong>{contractName(action.invocation.contractId)}</strong> with the input:
              </p>
              <JsonBlock value={action.invocation.input} label={`Input of action ${i + 1}`} />
              {action.invocation.result && (
                <>
                  <p>
                    <Badge tone="good">invoked</Badge> It answered:
                  </p>
                  <JsonBlock value={action.invocation.result} label={`Invocation of action ${i + 1}`} />
                </>
              )}
              {action.invocation.error && (
                <>
                  <p>
                    <Badge tone="bad">failed</Badge> The invocation failed:
                  </p>
                  <JsonBlock value={action.invocation.error} label={`Invocation error of action ${i + 1}`} />
                </>
              )}
            </div>
          )}
        </div>
      ))}
    </div>
  );
}

function show(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}

function ExplainNode({ node }: { node: Explanation }) {
  const badge = node.matched ? <Badge tone="good">holds</Badge> : <Badge tone="bad">fails</Badge>;
  if (node.kind === 'all' || node.kind === 'any') {
    return (
      <li>
        {badge} {node.kind === 'all' ? 'All of' : 'Any of'}:
        <ul>
          {node.items.map((item, i) => (
            <ExplainNode key={i} node={item} />
          ))}
        </ul>
      </li>
    );
  }
  if (node.kind === 'not') {
    return (
      <li>
        {badge} Not:
        <ul>
          <ExplainNode node={node.item} />
        </ul>
      </li>
    );
  }
  if (node.kind === 'jsonLogic') return <li>{badge} JSON Logic expression</li>;
  return (
    <li>
      {badge} <code>{node.path}</code> {OPERATOR_LABELS[node.op]}
      {node.value !== undefined && (
        <>
          {' '}
          <code>{show(node.value)}</code>
        </>
      )}
      {node.ignoreCase && ' (ignoring case)'} — found <code>{node.actual === null ? 'nothing (null)' : show(node.actual)}</code>
    </li>
  );
}

function RequestView({ request }: { request: { method: string; url: string; headers: Record<string, string>; body: string } }) {
  let body: unknown = request.body;
  try {
    body = JSON.parse(request.body);
  } catch {
    // Not JSON: shown as the text it is.
  }
  return (
    <>
      <p>
        <code>
          {request.method} {request.url}
        </code>
      </p>
      <details>
        <summary>Headers ({Object.keys(request.headers).length})</summary>
        <div className="table-wrap">
          <table>
            <tbody>
              {Object.entries(request.headers).map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">
                    <code>{k}</code>
                  </th>
                  <td className="rules-break">
                    <code>{v}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      <JsonBlock value={body} label="Request body" />
    </>
  );
}

function AttemptView({ attempt }: { attempt: Record<string, unknown> }) {
  const response = attempt.response as { status?: number } | null | undefined;
  const ok = attempt.succeeded === true;
  return (
    <>
      <p className="row">
        {ok ? <Badge tone="good">sent</Badge> : <Badge tone="bad">failed</Badge>}
        {response?.status !== undefined && <span>answered {response.status}</span>}
        {typeof attempt.durationMs === 'number' && <span className="muted">in {formatMs(attempt.durationMs)}</span>}
      </p>
      <details>
        <summary>The attempt</summary>
        <JsonBlock value={attempt} label="Attempt" />
      </details>
    </>
  );
}
