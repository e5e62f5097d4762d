import { useId, useMemo, useState } from 'react';
import { JsonBlock } from '../../ui/display';
import { ActionList } from './ActionList';
import { ConditionTree, Issues } from './ConditionTree';
import { fromBuilder, type BuilderState, type ContractOption, type EndpointOption, type FieldOption } from './rule-model';

export interface RuleBuilderProps {
  value: BuilderState;
  onChange(next: BuilderState): void;
  /** The `data` fields the trigger's types declare (`fieldsFromSchema`), offered to conditions and chat templates. */
  schemaFields: FieldOption[];
  endpoints: EndpointOption[];
  /** null when the key may not list action contracts. */
  contracts: ContractOption[] | null;
  /** The catalog's event type names, offered as triggers with their wildcards. */
  eventTypes: string[];
  /** Messages by node or action client id (`issuesByNode`), and under `name` and `trigger`. */
  issues?: Record<string, string[]>;
  /** Shown, not editable (a key without `rules:write`). */
  readOnly?: boolean;
}

/**
 * The visual rule builder: "when an event of these types happens, and these
 * conditions hold, do these actions". Controlled and fetch-free: the page
 * gives it the rule as `toBuilder` made it, and the catalog, schema fields,
 * endpoints and contracts it offers; every edit comes back through `onChange`.
 */
export function RuleBuilder({ value, onChange, schemaFields, endpoints, contracts, eventTypes, issues = {}, readOnly = false }: RuleBuilderProps) {
  const ids = { name: useId(), conditions: useId(), actions: useId(), trigger: useId(), rule: useId() };
  const set = (change: Partial<BuilderState>) => onChange({ ...value, ...change });
  return (
    <fieldset disabled={readOnly} className="rules-builder" aria-label="Rule builder">
      <section className="panel" aria-labelledby={ids.rule}>
        <h2 id={ids.rule}>Rule</h2>
        <div className="field">
          <label htmlFor={ids.name}>Name</label>
          <input
            id={ids.name}
            value={value.name}
            maxLength={200}
            aria-invalid={issues.name ? true : undefined}
            onChange={(e) => set({ name: e.target.value })}
          />
          <Issues messages={issues.name} />
        </div>
        <label className="rules-check">
          <input type="checkbox" checked={value.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          Enabled
        </label>
        <Issues messages={issues.enabled} />
      </section>

      <section className="panel" aria-labelledby={ids.trigger}>
        <h2 id={ids.trigger}>When: trigger</h2>
        <p className="muted">The event types the rule runs for; a wildcard (invoice.*) takes every type under it.</p>
        <TriggerEditor value={value.eventTypes} onChange={(eventTypes) => set({ eventTypes })} catalog={eventTypes} />
        <Issues messages={issues.trigger} />
      </section>

      <section className="panel" aria-labelledby={ids.conditions}>
        <h2 id={ids.conditions}>If: conditions</h2>
        <ConditionTree root={value.conditions} onChange={(conditions) => set({ conditions })} fields={schemaFields} issues={issues} />
      </section>

      <section className="panel" aria-labelledby={ids.actions}>
        <h2 id={ids.actions}>Then: actions</h2>
        <p className="muted">Run in order for each matching event.</p>
        <ActionList
          actions={value.actions}
          onChange={(actions) => set({ actions })}
          endpoints={endpoints}
          contracts={contracts}
          fields={schemaFields}
          issues={issues}
        />
      </section>

      <details className="rules-json">
        <summary>Show JSON</summary>
        <RuleJson value={value} />
      </details>
    </fieldset>
  );
}

function RuleJson({ value }: { value: BuilderState }) {
  try {
    return <JsonBlock value={fromBuilder(value)} label="Rule JSON" />;
  } catch (error) {
    return <p className="field-error">{(error as Error).message}</p>;
  }
}

const OTHER = '(other)';

/** Patterns offered for a catalog: every type, every prefix of one as a wildcard, and `*`. */
function triggerOptions(catalog: string[]): { wildcards: string[]; types: string[] } {
  const wildcards = new Set<string>();
  for (const name of catalog) {
    const parts = name.split('.');
    for (let i = 1; i < parts.length; i += 1) wildcards.add(`${parts.slice(0, i).join('.')}.*`);
  }
  return { wildcards: ['*', ...[...wildcards].sort()], types: [...catalog].sort() };
}

function TriggerEditor({ value, onChange, catalog }: { value: string[]; onChange(types: string[]): void; catalog: string[] }) {
  const ids = { pick: useId(), other: useId() };
  const [pick, setPick] = useState('');
  const [typed, setTyped] = useState('');
  const options = useMemo(() => triggerOptions(catalog), [catalog]);
  const candidate = pick === OTHER ? typed.trim() : pick;
  const add = () => {
    if (!candidate || value.includes(candidate)) return;
    onChange([...value, candidate]);
    setPick('');
    setTyped('');
  };
  return (
    <>
      {value.length === 0 ? (
        <p className="muted">No event type yet: pick one below.</p>
      ) : (
        <ul className="rules-chips" aria-label="Trigger event types">
          {value.map((type) => (
            <li key={type} className="rules-chip">
              <code>{type}</code>
              <button type="button" className="link" onClick={() => onChange(value.filter((t) => t !== type))}>
                Remove<span className="rules-sr"> {type}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="row rules-trigger-pick">
        <label htmlFor={ids.pick}>Event type</label>
        <select id={ids.pick} value={pick} onChange={(e) => setPick(e.target.value)}>
          <option value="">Choose…</option>
          <optgroup label="Event types">
            {options.types
              .filter((t) => !value.includes(t))
              .map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
          </optgroup>
          <optgroup label="Wildcards">
            {options.wildcards
              .filter((t) => !value.includes(t))
              .map((t) => (
                <option key={t} value={t}>
                  {t === '*' ? '* (every type)' : t}
                </option>
              ))}
          </optgroup>
          <option value={OTHER}>Other type or pattern…</option>
        </select>
        {pick === OTHER && (
          <>
            <label htmlFor={ids.other}>Type or pattern</label>
            <input id={ids.other} value={typed} placeholder="invoice.* or order.shipped" onChange={(e) => setTyped(e.target.value)} />
          </>
        )}
        <button type="button" disabled={!candidate || value.includes(candidate)} onClick={add}>
          Add event type
        </button>
      </div>
    </>
  );
}
