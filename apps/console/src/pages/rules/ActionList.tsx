import { closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type Announcements, type DragEndEvent } from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useId, useState } from 'react';
import { Issues } from './ConditionTree';
import { newAction, type ActionState, type ChatTemplateState, type ContractOption, type EndpointOption, type FieldOption } from './rule-model';
import { moveItem } from './condition-edits';
import { ENVELOPE_FIELDS } from './schema-fields';

/** At most this many actions per rule (README "Automations"). */
const MAX_ACTIONS = 10;

export const ACTION_NAMES: Record<ActionState['type'], string> = {
  deliver: 'Deliver to endpoints',
  chat: 'Post to chat',
  invoke: 'Invoke action contract',
};

const TOOL_NAMES: Record<string, string> = { slack: 'Slack', teams: 'Microsoft Teams', google_chat: 'Google Chat', discord: 'Discord', telegram: 'Telegram' };

export function toolName(tool: string): string {
  return TOOL_NAMES[tool] ?? tool;
}

interface Props {
  actions: ActionState[];
  onChange(actions: ActionState[]): void;
  endpoints: EndpointOption[];
  /** null when the key may not list action contracts: invoke actions show their contract id and cannot be added. */
  contracts: ContractOption[] | null;
  fields: FieldOption[];
  issues: Record<string, string[]>;
}

/** The rule's actions, run in order for each matching event; reordered with Move up / Move down or by dragging. */
export function ActionList({ actions, onChange, endpoints, contracts, fields, issues }: Props) {
  const sensors = useSensors(useSensor(PointerSensor), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const name = (id: string | number) => `Action ${actions.findIndex((a) => a.id === id) + 1}`;
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${name(active.id)}.`,
    onDragOver: ({ active, over }) => (over ? `${name(active.id)} is at the place of ${name(over.id)}.` : `${name(active.id)} is over no place to drop.`),
    onDragEnd: ({ active, over }) => (over ? `${name(active.id)} was dropped at the place of ${name(over.id)}.` : `${name(active.id)} was dropped back.`),
    onDragCancel: ({ active }) => `Moving ${name(active.id)} was cancelled.`,
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    onChange(
      moveItem(
        actions,
        actions.findIndex((a) => a.id === active.id),
        actions.findIndex((a) => a.id === over.id),
      ),
    );
  };
  const replace = (next: ActionState) => onChange(actions.map((a) => (a.id === next.id ? next : a)));
  const full = actions.length >= MAX_ACTIONS;
  return (
    <>
      {actions.length === 0 && <p className="muted">No actions yet: add what the rule does when an event matches.</p>}
      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd} accessibility={{ announcements }}>
        <SortableContext items={actions.map((a) => a.id)} strategy={verticalListSortingStrategy}>
          <ol className="rules-actions">
            {actions.map((action, i) => (
              <ActionItem
                key={action.id}
                action={action}
                index={i}
                count={actions.length}
                onChange={replace}
                onMove={(delta) => onChange(moveItem(actions, i, i + delta))}
                onRemove={() => onChange(actions.filter((a) => a.id !== action.id))}
                endpoints={endpoints}
                contracts={contracts}
                fields={fields}
                issues={issues[action.id]}
              />
            ))}
          </ol>
        </SortableContext>
      </DndContext>
      <div role="group" aria-label="Add an action" className="row rules-add">
        <span className="muted">Add an action:</span>
        {(['deliver', 'chat', 'invoke'] as const)
          .filter((type) => type !== 'invoke' || contracts !== null)
          .map((type) => (
            <button key={type} type="button" disabled={full} onClick={() => onChange([...actions, newAction(type)])}>
              {ACTION_NAMES[type]}
            </button>
          ))}
        {full && <small className="muted">A rule holds at most {MAX_ACTIONS} actions.</small>}
      </div>
    </>
  );
}

function ActionItem({
  action,
  index,
  count,
  onChange,
  onMove,
  onRemove,
  endpoints,
  contracts,
  fields,
  issues,
}: {
  action: ActionState;
  index: number;
  count: number;
  onChange(action: ActionState): void;
  onMove(delta: -1 | 1): void;
  onRemove(): void;
  endpoints: EndpointOption[];
  contracts: ContractOption[] | null;
  fields: FieldOption[];
  issues: string[] | undefined;
}) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: action.id });
  const keyId = useId();
  const label = `action ${index + 1}`;
  const title = `Action ${index + 1}: ${ACTION_NAMES[action.type]}`;
  return (
    <li ref={setNodeRef} className={`rules-action${isDragging ? ' rules-dragging' : ''}`} style={{ transform: CSS.Translate.toString(transform), transition }}>
      <div role="group" aria-label={title}>
        <div className="rules-node-head">
          <button type="button" className="rules-handle" ref={setActivatorNodeRef} {...attributes} {...listeners} aria-label={`Drag ${label}`}>
            <span aria-hidden="true">⠿</span>
          </button>
          <h3 className="rules-node-title">
            {index + 1}. {ACTION_NAMES[action.type]}
          </h3>
          <div className="rules-node-tools">
            <button type="button" disabled={index === 0} onClick={() => onMove(-1)}>
              Move up<span className="rules-sr"> {label}</span>
            </button>
            <button type="button" disabled={index === count - 1} onClick={() => onMove(1)}>
              Move down<span className="rules-sr"> {label}</span>
            </button>
            <button type="button" className="danger" onClick={onRemove}>
              Remove<span className="rules-sr"> {label}</span>
            </button>
          </div>
        </div>
        <Issues messages={issues} />
        {action.type === 'deliver' && <DeliverEditor action={action} onChange={onChange} endpoints={endpoints} />}
        {action.type === 'chat' && <ChatEditor action={action} onChange={onChange} endpoints={endpoints} fields={fields} />}
        {action.type === 'invoke' && <InvokeEditor action={action} onChange={onChange} contracts={contracts} />}
        <div className="field rules-key">
          <label htmlFor={keyId}>Key</label>
          <input
            id={keyId}
            value={action.key}
            placeholder={String(index + 1)}
            maxLength={64}
            aria-describedby={`${keyId}-hint`}
            onChange={(e) => onChange({ ...action, key: e.target.value })}
          />
          <small id={`${keyId}-hint`} className="hint">
            Names the action in its deliveries&apos; ids (webhook-id): give one to keep them when actions are reordered. Empty: its position.
          </small>
        </div>
      </div>
    </li>
  );
}

/** Endpoint checkboxes, in the order the action lists them; ids the tenant no longer has stay listed (and checked) so nothing is dropped unseen. */
function EndpointChecklist({
  legend,
  options,
  selected,
  onChange,
  none,
}: {
  legend: string;
  options: EndpointOption[];
  selected: string[];
  onChange(ids: string[]): void;
  none: string;
}) {
  const unknown = selected.filter((id) => !options.some((o) => o.id === id));
  const all = [...options, ...unknown.map((id) => ({ id, label: `Unknown endpoint ${id}`, chatTool: null }))];
  const toggle = (id: string) => onChange(selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id]);
  return (
    <fieldset className="rules-checklist">
      <legend>{legend}</legend>
      {all.length === 0 && <p className="muted">{none}</p>}
      {all.map((o) => (
        <label key={o.id} className="rules-check">
          <input type="checkbox" checked={selected.includes(o.id)} onChange={() => toggle(o.id)} />
          {o.label}
          {o.chatTool && <span className="muted"> ({toolName(o.chatTool)} chat)</span>}
        </label>
      ))}
    </fieldset>
  );
}

const EXAMPLE_TRANSFORM = '{\n  "event": type,\n  "id": id,\n  "data": data\n}';

function DeliverEditor({
  action,
  onChange,
  endpoints,
}: {
  action: Extract<ActionState, { type: 'deliver' }>;
  onChange(a: ActionState): void;
  endpoints: EndpointOption[];
}) {
  const id = useId();
  return (
    <>
      <EndpointChecklist
        legend="Endpoints"
        options={endpoints}
        selected={action.endpointIds}
        onChange={(endpointIds) => onChange({ ...action, endpointIds })}
        none="The tenant has no endpoints yet: create one on the Endpoints page first."
      />
      <label className="rules-check">
        <input
          type="checkbox"
          checked={action.transform !== null}
          onChange={(e) => onChange({ ...action, transform: e.target.checked ? EXAMPLE_TRANSFORM : null })}
        />
        Transform the body with JSONata
      </label>
      {action.transform !== null && (
        <div className="field">
          <label htmlFor={id}>Transform (JSONata)</label>
          <textarea
            id={id}
            value={action.transform}
            spellCheck={false}
            aria-describedby={`${id}-hint`}
            onChange={(e) => onChange({ ...action, transform: e.target.value })}
          />
          <small id={`${id}-hint`} className="hint">
            Its result is the body sent to these endpoints. It sees the event: id, type, tenantId, occurredAt, receivedAt, data. No regular expressions or
            $eval.
          </small>
        </div>
      )}
    </>
  );
}

function ChatEditor({
  action,
  onChange,
  endpoints,
  fields,
}: {
  action: Extract<ActionState, { type: 'chat' }>;
  onChange(a: ActionState): void;
  endpoints: EndpointOption[];
  fields: FieldOption[];
}) {
  const ids = { title: useId(), text: useId(), url: useId(), insert: useId() };
  const t = action.template;
  const setTemplate = (change: Partial<ChatTemplateState>) => onChange({ ...action, template: { ...t, ...change } });
  const [insert, setInsert] = useState('');
  const paths = [...ENVELOPE_FIELDS, ...fields].filter((f) => f.type !== 'object' && f.type !== 'array').map((f) => f.path);
  const rows = t.fields ?? [];
  const setRow = (i: number, change: Partial<{ label: string; value: string }>) =>
    setTemplate({ fields: rows.map((r, j) => (j === i ? { ...r, ...change } : r)) });
  return (
    <>
      <EndpointChecklist
        legend="Chat endpoints"
        options={endpoints.filter((e) => e.chatTool !== null)}
        selected={action.endpointIds}
        onChange={(endpointIds) => onChange({ ...action, endpointIds })}
        none="No chat endpoint yet: create one on the Endpoints page with a chat tool (Slack, Teams, Google Chat, Discord or Telegram)."
      />
      <p className="muted">
        Write the message as plain text; <code>{'{{ data.customer.name }}'}</code> is the event&apos;s value at that path (empty when missing). Hookline formats
        it for each tool.
      </p>
      <div className="field">
        <label htmlFor={ids.title}>Title</label>
        <input
          id={ids.title}
          value={t.title ?? ''}
          maxLength={256}
          onChange={(e) => setTemplate({ title: e.target.value === '' ? undefined : e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={ids.text}>Text</label>
        <textarea id={ids.text} value={t.text} maxLength={2000} onChange={(e) => setTemplate({ text: e.target.value })} />
      </div>
      <div className="row rules-insert">
        <label htmlFor={ids.insert}>Placeholder to insert</label>
        <select id={ids.insert} value={insert} onChange={(e) => setInsert(e.target.value)}>
          <option value="">Choose a field…</option>
          {paths.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <button type="button" disabled={!insert} onClick={() => setTemplate({ text: `${t.text}${t.text && !t.text.endsWith(' ') ? ' ' : ''}{{ ${insert} }}` })}>
          Insert into text
        </button>
      </div>
      <div className="field">
        <label htmlFor={ids.url}>Link URL</label>
        <input
          id={ids.url}
          value={t.url ?? ''}
          maxLength={1024}
          placeholder="{{ data.url }}"
          onChange={(e) => setTemplate({ url: e.target.value === '' ? undefined : e.target.value })}
        />
      </div>
      <fieldset className="rules-checklist">
        <legend>Details shown in the message (label and value)</legend>
        {rows.map((row, i) => (
          <div key={i} className="row">
            <label>
              Detail {i + 1} label <input value={row.label} maxLength={128} onChange={(e) => setRow(i, { label: e.target.value })} />
            </label>
            <label>
              Detail {i + 1} value <input value={row.value} maxLength={512} onChange={(e) => setRow(i, { value: e.target.value })} />
            </label>
            <button type="button" onClick={() => setTemplate({ fields: rows.filter((_, j) => j !== i) })}>
              Remove detail {i + 1}
            </button>
          </div>
        ))}
        <button type="button" disabled={rows.length >= 10} onClick={() => setTemplate({ fields: [...rows, { label: '', value: '' }] })}>
          Add detail
        </button>
      </fieldset>
    </>
  );
}

function InvokeEditor({
  action,
  onChange,
  contracts,
}: {
  action: Extract<ActionState, { type: 'invoke' }>;
  onChange(a: ActionState): void;
  contracts: ContractOption[] | null;
}) {
  const ids = { contract: useId(), input: useId() };
  const known = contracts?.some((c) => c.id === action.contractId);
  return (
    <>
      <div className="field">
        <label htmlFor={ids.contract}>Contract</label>
        {contracts === null ? (
          <input id={ids.contract} value={action.contractId} readOnly />
        ) : (
          <select id={ids.contract} value={action.contractId} onChange={(e) => onChange({ ...action, contractId: e.target.value })}>
            <option value="">Choose a contract…</option>
            {contracts.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
            {action.contractId && !known && <option value={action.contractId}>Unknown contract {action.contractId}</option>}
          </select>
        )}
        {contracts?.length === 0 && <small className="hint">No action contract yet: declare one on the Action contracts page first.</small>}
      </div>
      <label className="rules-check">
        <input type="checkbox" checked={action.input !== null} onChange={(e) => onChange({ ...action, input: e.target.checked ? 'data' : null })} />
        Build the input with JSONata
      </label>
      {action.input !== null ? (
        <div className="field">
          <label htmlFor={ids.input}>Input (JSONata)</label>
          <textarea id={ids.input} value={action.input} spellCheck={false} onChange={(e) => onChange({ ...action, input: e.target.value })} />
          <small className="hint">Its result is the contract&apos;s input, checked against its input schema.</small>
        </div>
      ) : (
        <p className="muted">The contract gets the event&apos;s data as its input.</p>
      )}
    </>
  );
}
